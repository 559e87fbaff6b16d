namespace Shop.IntegrationTests.Hosting;

/// <summary>Tests that change this process's environment variables run alone, after every parallel test.</summary>
[CollectionDefinition(nameof(ProcessEnvironmentCollection), DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection;
