using System.Globalization;

namespace UsageProcessor.Metering.Ingestion;

/// <summary>The one way both hosts read a queue trigger: the decoded body and the trigger's binding data, by its names.</summary>
/// <remarks>
/// The Functions worker hands binding data over as a dictionary (the insertion time as a JSON date string); the WebJobs
/// SDK binds the same items to parameters named after them (the insertion time as a <see cref="DateTimeOffset"/>). Both
/// come here, so the message id a rejection is keyed by is read the same way in both hosts.
/// </remarks>
public static class QueueTriggerData
{
    /// <summary>The binding data item holding the message id, stable across redeliveries.</summary>
    public const string Id = "Id";

    /// <summary>The binding data item holding when the message entered the queue.</summary>
    public const string InsertionTime = "InsertionTime";

    /// <summary>The job message of a trigger with body <paramref name="body"/> and binding data <paramref name="bindingData"/>.</summary>
    public static JobMessage JobMessage(string body, IReadOnlyDictionary<string, object?> bindingData)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(bindingData);
        var id = bindingData.TryGetValue(Id, out var idValue) ? idValue?.ToString()?.Trim('"') : null;
        var insertedAt = bindingData.TryGetValue(InsertionTime, out var inserted) ? Instant(inserted) : null;
        return new JobMessage(body, string.IsNullOrEmpty(id) ? null : id, insertedAt);
    }

    private static DateTimeOffset? Instant(object? value) => value switch
    {
        DateTimeOffset at => at,
        DateTime at => new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)),
        not null when DateTimeOffset.TryParse(value.ToString()?.Trim('"'), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) => at,
        _ => null,
    };
}
