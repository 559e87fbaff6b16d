using Shop.Shared.Http;

namespace Shop.Auth;

/// <summary>The problems only AuthFunctions answers with; the common ones come from <see cref="Problems"/>.</summary>
public static class AuthProblems
{
    public static ProblemException EmailTaken() =>
        Problems.Conflict("email-taken", "An account with this email already exists.");

    public static ProblemException LastAdminGuard() =>
        Problems.Conflict("last-admin-guard", "Admins cannot remove their own admin role; ask another admin.");

    public static ProblemException LockedOut(TimeSpan wait) =>
        Problems.TooManyRequests(wait, "Too many failed logins; try again later.");
}
