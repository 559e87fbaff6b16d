using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Shop.Shared.Observability;

namespace Shop.Testing.Infrastructure;

/// <summary>
/// One scrape of an app's registry, exactly the text Prometheus would get, parsed into samples so tests can ask for a
/// series by name and labels.
/// </summary>
public sealed class MetricsSnapshot
{
    private MetricsSnapshot(string text, IReadOnlyList<Sample> samples)
    {
        Text = text;
        Samples = samples;
    }

    public string Text { get; }

    public IReadOnlyList<Sample> Samples { get; }

    public static async Task<MetricsSnapshot> ScrapeAsync(IServiceProvider services)
    {
        var text = await services.GetRequiredService<ShopMetrics>().ExportAsTextAsync();
        return new MetricsSnapshot(text, [.. text.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(Sample.Parse)]);
    }

    /// <summary>The value of the one series with this name and (at least) these labels; 0 when there is none.</summary>
    public double Value(string name, params (string Name, string Value)[] labels)
    {
        var matches = Samples.Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Name) == l.Value)).ToList();
        if (matches.Count > 1)
        {
            throw new InvalidOperationException($"{matches.Count} series match {name} {string.Join(",", labels)}:\n{Text}");
        }

        return matches.Count == 0 ? 0 : matches[0].Value;
    }

    public bool Has(string name) => Samples.Any(s => s.Name == name);

    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
    {
        public static Sample Parse(string line)
        {
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var space = line.LastIndexOf(' ');
            var value = double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
            if (brace < 0)
            {
                return new Sample(line[..space], new Dictionary<string, string>(), value);
            }

            var close = line.LastIndexOf('}');
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            var body = line[(brace + 1)..close];
            var position = 0;
            while (position < body.Length)
            {
                var equals = body.IndexOf('=', position);
                var name = body[position..equals].TrimStart(',');
                var start = equals + 2;
                var end = start;
                while (body[end] != '"' || body[end - 1] == '\\')
                {
                    end++;
                }

                labels[name] = body[start..end].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
                position = end + 1;
            }

            return new Sample(line[..brace], labels, value);
        }
    }
}
