using System.Reflection;
using System.Reflection.Emit;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using Shop.Shared.OpenApi;
using Shop.Shared.RateLimiting;

namespace Shop.UnitTests.Shared;

/// <summary>
/// shared/ keeps mechanisms; each app owns its domain. Read from the compiled Shop.Shared assembly, so neither comments
/// nor formatting can hide or fake a reference: no string it holds (literals, lambdas and async methods included,
/// constants, attribute arguments) names an app's function or a rate-limit policy only an app declares, which is the
/// only way shared could name one (it cannot reference an app's types), and no public member of shared is named after
/// an app's domain. Idempotency is not on the list: it is a mechanism (the Idempotency-Key header) that any app may use.
/// </summary>
public sealed class SharedNamesNoAppTests
{
    private static readonly Assembly Shared = typeof(RateLimitAttribute).Assembly;

    private static readonly Assembly[] Apps =
    [
        typeof(Shop.Auth.AuthRegistration).Assembly,
        typeof(Shop.Products.ProductRegistration).Assembly,
        typeof(Shop.Orders.OrderRegistration).Assembly,
    ];

    private static readonly string[] DomainWords = ["Login", "SignUp", "Password", "Lockout", "Product", "Catalog", "Reserv", "Stock", "Order", "Payment", "Orchestrat"];

    /// <summary>Public members named after a domain that are on their way out, each with its reason.</summary>
    private static readonly Dictionary<string, string> AllowedDomainMembers = [];

    [Fact]
    public void Shared_names_no_function_of_an_app()
    {
        // The document function is the shared OpenAPI mechanism's by design: its name and description live in shared,
        // each app only declares it with its own route.
        var ownFunctions = FunctionNames(Shared).Append(OpenApiDeclarations.DocumentFunction).ToHashSet();
        var appFunctions = Apps.SelectMany(FunctionNames).Distinct().Where(f => !ownFunctions.Contains(f)).ToList();
        var strings = Strings(Shared).ToList();

        var named = appFunctions
            .Select(function => (function, Where: strings.Where(s => Regex.IsMatch(s.Text, $@"\b{Regex.Escape(function)}\b")).Select(s => s.Where).Distinct().ToList()))
            .Where(f => f.Where.Count > 0)
            .Select(f => $"{f.function} (in {string.Join(", ", f.Where)})");

        Assert.Contains("GetProduct", appFunctions);
        Assert.Contains("Login", appFunctions);
        Assert.Empty(named);
    }

    [Fact]
    public void Shared_names_no_rate_limit_policy_that_only_an_app_declares()
    {
        var appPolicies = DeclaredRateLimits.In(Apps).Policies.Keys.Except(new RateLimitingOptions().Policies.Keys, StringComparer.OrdinalIgnoreCase).ToList();
        var strings = Strings(Shared).ToList();

        // As a policy list, a setting key or a header value spells one, not as a word of prose ("This internal
        // endpoint"); ordinal, because shared's "Internal" settings section belongs to the service key.
        var named = appPolicies
            .Select(policy => (policy, Where: strings.Where(s => s.Text.Split([',', ':', ';', '"'], StringSplitOptions.TrimEntries).Contains(policy, StringComparer.Ordinal)).Select(s => s.Where).Distinct().ToList()))
            .Where(p => p.Where.Count > 0)
            .Select(p => $"{p.policy} (in {string.Join(", ", p.Where)})");

        Assert.Contains(Shop.Auth.AuthRateLimits.PerClientAddress, appPolicies);
        Assert.Contains(Shop.Auth.AuthRateLimits.PerEmail, appPolicies);
        Assert.Contains(Shop.Products.ProductRateLimits.Internal, appPolicies);
        Assert.Empty(named);
    }

    [Fact]
    public void No_public_member_of_shared_is_named_after_an_app_domain()
    {
        var members = Shared.GetExportedTypes()
            .SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Where(m => m is not MethodInfo { IsSpecialName: true })
                .Select(m => $"{t.Name}.{m.Name}")
                .Append(t.Name));

        var domain = members.Where(m => DomainWords.Any(w => m.Contains(w, StringComparison.Ordinal))).Distinct().ToList();

        Assert.DoesNotContain(domain, m => !AllowedDomainMembers.ContainsKey(m));
        // An allowance outlives its member: remove the line once the member has moved.
        Assert.Empty(AllowedDomainMembers.Keys.Except(domain));
    }

    [Fact]
    public void The_check_sees_literals_inside_async_methods_and_lambdas()
    {
        var strings = Strings(typeof(SharedNamesNoAppTests).Assembly).Select(s => s.Text).ToHashSet();

        Assert.Contains("a literal only an async lambda holds", strings);
        Assert.Contains("a constant only a field holds", strings);
    }

    private static HashSet<string> FunctionNames(Assembly assembly) =>
        [.. AllMethods(assembly).Select(m => m.GetCustomAttribute<FunctionAttribute>()?.Name).OfType<string>()];

    private static IEnumerable<MethodBase> AllMethods(Assembly assembly) =>
        assembly.GetTypes().SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Cast<MethodBase>()
            .Concat(t.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)));

    /// <summary>Every string the assembly holds, with where it was found.</summary>
    private static IEnumerable<(string Text, string Where)> Strings(Assembly assembly)
    {
        foreach (var type in assembly.GetTypes())
        {
            foreach (var argument in type.GetCustomAttributesData().SelectMany(Arguments))
            {
                yield return (argument, type.Name + " attribute");
            }

            foreach (var member in type.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                foreach (var argument in member.GetCustomAttributesData().SelectMany(Arguments))
                {
                    yield return (argument, $"{type.Name}.{member.Name} attribute");
                }

                if (member is FieldInfo { IsLiteral: true } constant && constant.GetRawConstantValue() is string value)
                {
                    yield return (value, $"{type.Name}.{member.Name}");
                }

                if (member is MethodBase method)
                {
                    foreach (var literal in StringLiterals(method))
                    {
                        yield return (literal, $"{type.Name}.{member.Name}");
                    }
                }
            }
        }
    }

    private static IEnumerable<string> Arguments(CustomAttributeData attribute) =>
        attribute.ConstructorArguments.Concat(attribute.NamedArguments.Select(n => n.TypedValue))
            .SelectMany(a => a.Value is IEnumerable<CustomAttributeTypedArgument> items ? items : [a])
            .Select(a => a.Value).OfType<string>();

    private static IEnumerable<string> StringLiterals(MethodBase method) =>
        MethodInstructions.Of(method).Where(i => i.OpCode == OpCodes.Ldstr).Select(i => method.Module.ResolveString(i.Token));

    private static class AsyncLiteralHolder
    {
        public const string Constant = "a constant only a field holds";

        public static Func<Task<string>> Make() => async () =>
        {
            await Task.Yield();
            return "a literal only an async lambda holds";
        };
    }
}
