using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using Microsoft.Azure.Functions.Worker;
using Shop.Shared.Http;
using Shop.Shared.OpenApi;
using Shop.Tests.Common;

namespace Shop.UnitTests;

/// <summary>
/// The request body a function's [OpenApiRequestBody] documents is the type it really reads: the test reads the
/// function's compiled IL (the async state machine's MoveNext) for calls of <c>JsonBody.ReadAsync&lt;T&gt;</c>. A
/// function that reads a body it does not declare, declares one it does not read, or reads another type fails here.
/// </summary>
public sealed class OpenApiRequestBodyTests
{
    public static TheoryData<string> Apps => new() { "AuthFunctions", "ProductFunctions", "OrderFunctions" };

    [Theory]
    [MemberData(nameof(Apps))]
    public void Each_function_declares_exactly_the_body_type_it_reads_with_JsonBody(string app)
    {
        var mismatches = new List<string>();
        foreach (var function in HttpFunctionMetadata.For(app))
        {
            var method = function.DeclaringType.GetMethods().Single(m => m.GetCustomAttribute<FunctionAttribute>()?.Name == function.Name);
            var declared = method.GetCustomAttribute<OpenApiRequestBodyAttribute>()?.Type;
            var read = BodyTypesRead(method);
            if (read.Count > 1 || read.SingleOrDefault() != declared)
            {
                mismatches.Add($"{function.Name}: declares {declared?.Name ?? "no body"}, reads {(read.Count == 0 ? "no body" : string.Join(", ", read.Select(t => t.Name)))}");
            }
        }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    [Fact]
    public void The_il_reader_finds_the_body_of_a_known_function()
    {
        var create = typeof(Shop.Products.Catalog.ProductFunctions).GetMethod(nameof(Shop.Products.Catalog.ProductFunctions.Create))!;

        Assert.Equal([typeof(Shop.Products.Catalog.ProductInput)], BodyTypesRead(create));
    }

    private static List<Type> BodyTypesRead(MethodInfo function)
    {
        var body = function.GetCustomAttribute<AsyncStateMachineAttribute>() is { } stateMachine
            ? stateMachine.StateMachineType.GetMethod("MoveNext", BindingFlags.Instance | BindingFlags.NonPublic)!
            : function;
        var readAsync = typeof(JsonBody).GetMethod(nameof(JsonBody.ReadAsync))!;
        return [.. CalledMethods(body)
            .Where(m => m.IsGenericMethod && m.GetGenericMethodDefinition() == readAsync)
            .Select(m => m.GetGenericArguments()[0])
            .Distinct()];
    }

    private static IEnumerable<MethodInfo> CalledMethods(MethodInfo method) =>
        MethodInstructions.Of(method)
            .Where(i => i.OpCode.OperandType == OperandType.InlineMethod)
            .Select(i => method.Module.ResolveMethod(i.Token, method.DeclaringType?.GetGenericArguments(), null))
            .OfType<MethodInfo>();
}
