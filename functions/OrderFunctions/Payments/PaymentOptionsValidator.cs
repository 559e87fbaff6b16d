using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Shop.Orders.Payments;

/// <summary>
/// Runs <see cref="PaymentProviderChoice"/> at start (ValidateOnStart) and whenever the options are first read, and
/// writes the refusal as one critical log line: an exception thrown from the worker's start is easy to miss in a
/// container's log, a line naming the setting is not.
/// </summary>
public sealed class PaymentOptionsValidator(IHostEnvironment environment, ILogger<PaymentOptionsValidator> logger) : IValidateOptions<PaymentOptions>
{
    public ValidateOptionsResult Validate(string? name, PaymentOptions options)
    {
        var decision = PaymentProviderChoice.Decide(options, environment.IsProduction());
        if (decision.IsValid)
        {
            return ValidateOptionsResult.Success;
        }

        logger.LogCritical("Refusing to start ({Environment}): {Problem}", environment.EnvironmentName, decision.Problem);
        return ValidateOptionsResult.Fail(decision.Problem!);
    }
}
