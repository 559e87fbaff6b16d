using System.Globalization;

namespace Shop.Testing.Gateway;

/// <summary>The gateway program's command line.</summary>
public sealed record GatewayArguments(int Port, string? RunId, bool RateLimiting)
{
    public const string Usage = "usage: Shop.Testing.Gateway [--port N] [--run ID] [--no-rate-limiting]";

    public static GatewayArguments? Parse(IReadOnlyList<string> args)
    {
        var parsed = new GatewayArguments(0, null, true);
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--port" when i + 1 < args.Count && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var port):
                    parsed = parsed with { Port = port };
                    i++;
                    break;
                case "--run" when i + 1 < args.Count:
                    parsed = parsed with { RunId = args[++i] };
                    break;
                case "--no-rate-limiting":
                    parsed = parsed with { RateLimiting = false };
                    break;
                default:
                    return null;
            }
        }

        return parsed;
    }
}
