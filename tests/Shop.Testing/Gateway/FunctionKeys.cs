using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Shop.Testing.Gateway;

/// <summary>
/// An app's keys in the Functions host's files key store format (deploy/compose/function-keys/&lt;app&gt;.json:
/// <c>masterKey</c>, <c>functionKeys</c> by name), and the host's rule for them: anonymous functions need nothing;
/// function-level ones any function key or the master key, from <c>x-functions-key</c> or <c>?code=</c>; admin-level ones
/// the master key. Anything else is 401.
/// </summary>
public sealed class FunctionKeys(string masterKey, IReadOnlyDictionary<string, string> functionKeys)
{
    public const string HeaderName = "x-functions-key";
    public const string QueryName = "code";

    public string MasterKey => masterKey;

    /// <summary>Function keys by name (<c>default</c>, and named keys such as products' <c>orders</c>).</summary>
    public IReadOnlyDictionary<string, string> ByName => functionKeys;

    /// <summary>The keys compose gives an app (auth, products, orders): deploy/compose/function-keys/&lt;app&gt;.json.</summary>
    public static FunctionKeys OfCompose(string app) => Load(Path.Combine(ComposeKeyFiles, app + ".json"));

    /// <summary>The key files of the compose stack, by app.</summary>
    public static string ComposeKeyFiles => Path.Combine(RepositoryRoot.Require(), "deploy", "compose", "function-keys");

    public static FunctionKeys Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        var master = root.GetProperty("masterKey").GetProperty("value").GetString()
            ?? throw new InvalidDataException($"{path}: masterKey has no value");
        var keys = root.GetProperty("functionKeys").EnumerateArray().ToDictionary(
            k => k.GetProperty("name").GetString() ?? throw new InvalidDataException($"{path}: a function key without a name"),
            k => k.GetProperty("value").GetString() ?? throw new InvalidDataException($"{path}: a function key without a value"),
            StringComparer.Ordinal);
        return new FunctionKeys(master, keys);
    }

    /// <summary>The key a request presents: the header first, then the query string, as the host reads them.</summary>
    public static string? Presented(HttpRequest request)
    {
        var header = request.Headers[HeaderName].ToString();
        if (header.Length > 0)
        {
            return header;
        }

        var code = request.Query[QueryName].ToString();
        return code.Length > 0 ? code : null;
    }

    public bool Admits(AuthorizationLevel level, string? presented) => level switch
    {
        AuthorizationLevel.Anonymous => true,
        AuthorizationLevel.Function => presented is not null
            && (Same(presented, masterKey) || functionKeys.Values.Any(k => Same(presented, k))),
        _ => presented is not null && Same(presented, masterKey),
    };

    private static bool Same(string presented, string key) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(key));
}
