namespace UsageProcessor.Metering.Webhooks;

/// <summary>How hard a webhook delivery tries before the alert goes to the poison queue; bound from <c>Metering:Webhooks</c>.</summary>
public sealed class WebhookDeliveryOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Metering:Webhooks";

    /// <summary>Retries after the first attempt.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 4;

    /// <summary>The first retry's median delay; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one attempt may take.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a subscription's deliveries may fail without one success before it is disabled (and a <c>webhook-disabled</c> operator alert raised): 5 days, as Svix does.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:01:00", "90.00:00:00")]
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(5);
}
