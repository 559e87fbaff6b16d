using System.ComponentModel.DataAnnotations;

namespace Shop.Auth.Accounts;

public sealed record SignUpRequest
{
    [Required, StringLength(254)]
    public string? Email { get; init; }

    /// <summary>Length rules live in PasswordPolicy; this bound only stops oversized input early.</summary>
    [Required, StringLength(1024)]
    public string? Password { get; init; }

    [Required, StringLength(100, MinimumLength = 1)]
    public string? DisplayName { get; init; }
}

public sealed record SetRolesRequest
{
    [Required, MinLength(1), MaxLength(4)]
    public string[]? Roles { get; init; }
}
