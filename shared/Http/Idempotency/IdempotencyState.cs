namespace Shop.Shared.Http.Idempotency;

public enum IdempotencyState
{
    InProgress,
    Completed,
}
