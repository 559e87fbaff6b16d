using System.ComponentModel.DataAnnotations;

namespace Shop.Auth.Sessions;

public sealed record LoginRequest
{
    [Required, StringLength(254)]
    public string? Email { get; init; }

    [Required, StringLength(1024)]
    public string? Password { get; init; }
}

public sealed record RefreshRequest
{
    [Required, StringLength(RefreshTokenStore.MaximumTokenLength)]
    public string? RefreshToken { get; init; }
}

public sealed record TokenPair(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken);
