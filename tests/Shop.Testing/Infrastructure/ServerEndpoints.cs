namespace Shop.Testing.Infrastructure;

/// <summary>Where the real servers of this test run are, and which MongoDB it is.</summary>
public sealed record ServerEndpoints(
    string MongoUri,
    string MongoKind,
    string Redis,
    string RabbitMqUri,
    string AzuriteConnectionString,
    string Source);
