namespace Shop.Auth.Keys;

public sealed record JsonWebKeySetDto(IReadOnlyList<JsonWebKeyDto> Keys);
