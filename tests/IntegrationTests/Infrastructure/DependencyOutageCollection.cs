namespace Shop.IntegrationTests.Infrastructure;

/// <summary>Tests that stop a shared server: xunit runs this collection alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DependencyOutageCollection
{
    public const string Name = "Dependency outages";
}
