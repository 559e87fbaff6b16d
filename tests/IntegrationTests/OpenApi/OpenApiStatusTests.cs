using System.Globalization;
using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Shop.IntegrationTests.Abuse;
using Shop.Shared.OpenApi;
using Shop.Shared.RateLimiting;
using Shop.Tests.Common;

namespace Shop.IntegrationTests.OpenApi;

/// <summary>
/// The statuses of each operation against two independent sources.
/// What this proves: (1) every status that the authorization matrix and the abuse corpus expect from a function, as the
/// data they hold (exact statuses, and at least one status of each expected class), is documented for that function,
/// so a function that starts answering a tested status without declaring it fails here; (2) the document lists
/// exactly the statuses the function's [OpenApiResponse]/[OpenApiProblem] declarations name plus those the shared
/// pipeline gives every function of its kind (function key and bearer/internal checks, JSON bodies, rate limits,
/// 500/503/504), restated here on purpose rather than read from the generator.
/// What it cannot prove: that a status thrown deep inside a service is declared when no test expects it (the
/// declarations are checked against tests, not against every code path), that the schemas match the bodies actually
/// written, or that statuses of the Functions host itself beyond its 401 (e.g. its own 429 under overload) appear.
/// </summary>
public sealed class OpenApiStatusTests
{
    private static readonly Dictionary<string, string> s_corpusOf = new()
    {
        ["AuthFunctions"] = "auth",
        ["ProductFunctions"] = "products",
        ["OrderFunctions"] = "orders",
    };

    [Theory]
    [MemberData(nameof(ServedDocuments.Apps), MemberType = typeof(ServedDocuments))]
    public async Task Every_status_the_authorization_matrix_expects_is_documented_for_its_function(string app)
    {
        var documented = await DocumentedStatusesAsync(app);
        var missing = new List<string>();
        foreach (var function in HttpFunctionMetadata.For(app))
        {
            var row = AuthorizationMatrixTests.Table[$"{app}/{function.Name}"];
            var expected = Enum.GetValues<Principal>().Select(row.For).ToHashSet();
            if (row.Internal)
            {
                expected.Add(401);
            }

            if (function.AuthLevel == AuthorizationLevel.Function)
            {
                expected.Add(401);
            }

            missing.AddRange(expected.Where(s => !documented[function.Name].Contains(s)).Select(s => $"{function.Name}: {s}"));
        }

        Assert.True(missing.Count == 0, "expected by the matrix, missing from the document: " + string.Join(", ", missing));
    }

    [Theory]
    [MemberData(nameof(ServedDocuments.Apps), MemberType = typeof(ServedDocuments))]
    public async Task Every_status_the_abuse_corpus_expects_is_documented_for_its_function(string app)
    {
        var documented = await DocumentedStatusesAsync(app);
        var missing = new List<string>();
        foreach (var abuse in AbuseCorpus.Load(s_corpusOf[app]))
        {
            var statuses = documented.GetValueOrDefault(abuse.Function) ?? [];
            var covered = abuse.Expect switch
            {
                "any" => true,
                "2xx" => statuses.Any(s => s is >= 200 and < 300),
                "4xx" => statuses.Any(s => s is >= 400 and < 500),
                _ => statuses.Contains(int.Parse(abuse.Expect, CultureInfo.InvariantCulture)),
            };
            if (!covered)
            {
                missing.Add($"{abuse.Id} {abuse.Function} expects {abuse.Expect}");
            }
        }

        Assert.True(missing.Count == 0, "expected by the corpus, missing from the document: " + string.Join(", ", missing));
    }

    [Theory]
    [MemberData(nameof(ServedDocuments.Apps), MemberType = typeof(ServedDocuments))]
    public async Task Each_operation_lists_exactly_the_declared_statuses_and_those_the_pipeline_implies(string app)
    {
        var documented = await DocumentedStatusesAsync(app);
        var declaredLimits = DeclaredRateLimits.In(Assembly.Load(app));
        var options = new RateLimitingOptions();
        declaredLimits.ApplyDefaultsTo(options);
        var policies = new RateLimitPolicies(options, declaredLimits);
        foreach (var function in HttpFunctionMetadata.For(app))
        {
            var method = function.DeclaringType.GetMethods().Single(m => m.GetCustomAttribute<FunctionAttribute>()?.Name == function.Name);
            var declared = OpenApiDeclarations.Of(function.Name, method);
            var caller = declared.Operation?.Caller ?? OpenApiCaller.Anyone;
            var expected = new SortedSet<int>(declared.Responses.Select(r => r.Status).Concat(declared.Problems.Select(p => p.Status)))
            {
                500, 503, 504,
            };
            if (function.AuthLevel != AuthorizationLevel.Anonymous || caller != OpenApiCaller.Anyone)
            {
                expected.Add(401);
            }

            if (caller == OpenApiCaller.Admin)
            {
                expected.Add(403);
            }

            if (declared.RequestBody is not null)
            {
                expected.UnionWith([400, 413, 415]);
            }

            if (policies.ForFunction(function.Name).Count > 0)
            {
                expected.Add(429);
            }

            Assert.True(expected.SetEquals(documented[function.Name]),
                $"{app}/{function.Name}: declared or implied {string.Join(",", expected)}, documented {string.Join(",", documented[function.Name].Order())}");
        }
    }

    private static async Task<Dictionary<string, HashSet<int>>> DocumentedStatusesAsync(string app)
    {
        var document = await ServedDocuments.ParseAsync(app);
        return document.Paths
            .SelectMany(p => p.Value.Operations ?? [])
            .ToDictionary(
                o => o.Value.OperationId!,
                o => o.Value.Responses!.Keys.Select(k => int.Parse(k, CultureInfo.InvariantCulture)).ToHashSet(),
                StringComparer.Ordinal);
    }
}
