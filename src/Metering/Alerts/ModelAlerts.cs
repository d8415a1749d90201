namespace UsageProcessor.Metering.Alerts;

/// <summary>The alert raised when a job used a custom model its account had not registered.</summary>
public static class ModelAlerts
{
    private const string Key = "0";

    /// <summary>The alert for the first such job of the period, or null when the period already raised it.</summary>
    public static UsageAlert? Unregistered(AlertContext context, IReadOnlySet<string> alreadyRaised)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(alreadyRaised);
        if (alreadyRaised.Contains($"{AlertKinds.UnregisteredModel}|{Key}"))
        {
            return null;
        }

        return new UsageAlert
        {
            AlertId = UsageAlert.IdFor(context.AccountId, context.Period, AlertKinds.UnregisteredModel, Key),
            AccountId = context.AccountId,
            Period = context.Period,
            Kind = AlertKinds.UnregisteredModel,
            Threshold = 0,
            ThresholdKey = Key,
            Value = 1,
            JobId = context.JobId,
            RaisedAt = context.Now,
        };
    }
}
