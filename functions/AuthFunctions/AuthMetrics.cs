using Prometheus;

namespace Shop.Auth;

/// <summary>AuthFunctions' own metrics, in the app's registry beside the shared ones (ShopMetrics).</summary>
public sealed class AuthMetrics
{
    private readonly Counter _loginFailures;
    private readonly Counter _loginLockouts;

    public AuthMetrics(CollectorRegistry registry)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        _loginFailures = factory.CreateCounter(
            "shop_login_failures_total", "Logins refused for a wrong password or an unknown email.");
        _loginLockouts = factory.CreateCounter(
            "shop_login_lockouts_total", "Failed logins that started or lengthened a lockout.");
    }

    public void LoginFailed() => _loginFailures.Inc();

    public void LoginLockedOut() => _loginLockouts.Inc();
}
