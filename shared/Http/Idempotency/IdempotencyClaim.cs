using Microsoft.Extensions.Logging;

namespace Shop.Shared.Http.Idempotency;

/// <summary>
/// One request's hold on its key: either the first response to replay (<see cref="Replayed"/>), or the right to do the
/// work and <see cref="CompleteAsync"/> it. Disposed without completing (the work threw), the key is forgotten, so the
/// client's retry runs the work again.
/// </summary>
public sealed class IdempotencyClaim : IAsyncDisposable
{
    private readonly IdempotencyStore? _store;
    private readonly IdempotencyRecord? _record;
    private readonly ILogger? _logger;
    private bool _settled;

    private IdempotencyClaim(StoredJsonResponse? replayed, IdempotencyStore? store, IdempotencyRecord? record, ILogger? logger)
    {
        Replayed = replayed;
        _store = store;
        _record = record;
        _logger = logger;
        _settled = replayed is not null;
    }

    /// <summary>The first request's response, byte for byte, when this request repeats it; null when this one does the work.</summary>
    public StoredJsonResponse? Replayed { get; }

    internal static IdempotencyClaim Replay(StoredResponse response) => new(new StoredJsonResponse(response, replayed: true), null, null, null);

    internal static IdempotencyClaim Work(IdempotencyStore store, IdempotencyRecord record, ILogger logger) => new(null, store, record, logger);

    /// <summary>Stores the work's response for every retry of the key and returns it as this request's answer.</summary>
    public async Task<StoredJsonResponse> CompleteAsync(StoredResponse response)
    {
        if (_settled || _store is null || _record is null)
        {
            throw new InvalidOperationException("Only a claim that does the work completes, and only once.");
        }

        // Not the request's token: once claimed, the record is finished even if the caller goes away, so a retry gets
        // the stored response instead of waiting for the lease to run out.
        if (!await _store.TryCompleteAsync(_record, response, CancellationToken.None))
        {
            _logger!.LogWarning("Idempotent request {RecordId} finished after another attempt took it over; both did the same idempotent work", _record.Id);
        }

        _settled = true;
        return new StoredJsonResponse(response, replayed: false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_settled || _store is null || _record is null)
        {
            return;
        }

        _settled = true;
        await _store.Claims.TryAbandonAsync(_record.Id, _record.LockToken, CancellationToken.None);
    }
}
