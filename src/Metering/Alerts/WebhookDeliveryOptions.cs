namespace UsageProcessor.Metering.Alerts;

/// <summary>How hard a webhook delivery tries before the alert goes to the poison queue.</summary>
public sealed class WebhookDeliveryOptions
{
    /// <summary>Retries after the first attempt.</summary>
    public int MaxRetryAttempts { get; set; } = 4;

    /// <summary>The first retry's median delay; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one attempt may take.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
