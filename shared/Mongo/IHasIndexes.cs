namespace Shop.Shared.Mongo;

/// <summary>A store that owns indexes on its collection.</summary>
public interface IHasIndexes
{
    Task EnsureIndexesAsync(CancellationToken cancellationToken);
}
