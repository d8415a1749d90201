using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using UsageProcessor.Metering.Partition;

namespace UsageProcessor.Metering.Alerts;

/// <summary>An alert raised by a ledger commit; its row is the at-most-once marker and the outbox entry at once.</summary>
public sealed record UsageAlert
{
    public required string AlertId { get; init; }

    public required string AccountId { get; init; }

    public required string Period { get; init; }

    public required string Kind { get; init; }

    public required decimal Threshold { get; init; }

    /// <summary>The measured value that crossed the threshold.</summary>
    public required decimal Value { get; init; }

    /// <summary>The job whose commit crossed the threshold.</summary>
    public required string JobId { get; init; }

    public required DateTimeOffset RaisedAt { get; init; }

    /// <summary>Lower thresholds of the same kind that the same job crossed; they are marked but not alerted separately.</summary>
    public IReadOnlyList<decimal> PassedThresholds { get; init; } = [];

    /// <summary>Whether this marker only records a threshold passed on the way to a higher one.</summary>
    public bool Passed { get; init; }

    public bool Published { get; init; }

    public DateTimeOffset? PublishedAt { get; init; }

    public bool Delivered { get; init; }

    public DateTimeOffset? DeliveredAt { get; init; }

    /// <summary>Subscriptions the alert was delivered to.</summary>
    public IReadOnlyList<string> DeliveredTo { get; init; } = [];

    /// <summary>Why the last delivery failed, if it did.</summary>
    public string? DeliveryError { get; init; }

    /// <summary>The row key: the marker that makes the alert unique in its account and period.</summary>
    public string RowKey => LedgerKeys.Alert(Period, Kind, ThresholdKey);

    /// <summary>The threshold as it appears in the row key; rate-limit alerts are keyed by hour instead.</summary>
    public required string ThresholdKey { get; init; }

    /// <summary>A stable id from the marker, so every publication of one alert carries the same id.</summary>
    public static string IdFor(string accountId, string period, string kind, string thresholdKey) =>
        "alt_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{accountId}\n{period}\n{kind}\n{thresholdKey}")))[..32];

    internal TableEntity ToEntity()
    {
        var entity = new TableEntity(AccountId, RowKey)
        {
            [nameof(AlertId)] = AlertId,
            [nameof(Period)] = Period,
            [nameof(Kind)] = Kind,
            [nameof(ThresholdKey)] = ThresholdKey,
            [nameof(JobId)] = JobId,
            [nameof(RaisedAt)] = RaisedAt,
            [nameof(PassedThresholds)] = JsonSerializer.Serialize(PassedThresholds.Select(EntityValues.Format)),
            [nameof(Passed)] = Passed,
            [nameof(Published)] = Published,
            [nameof(PublishedAt)] = PublishedAt,
            [nameof(Delivered)] = Delivered,
            [nameof(DeliveredAt)] = DeliveredAt,
            [nameof(DeliveredTo)] = JsonSerializer.Serialize(DeliveredTo),
            [nameof(DeliveryError)] = DeliveryError,
        };
        entity.SetDecimal(nameof(Threshold), Threshold);
        entity.SetDecimal(nameof(Value), Value);
        return entity;
    }

    internal static UsageAlert FromEntity(TableEntity e) => new()
    {
        AlertId = e.GetString(nameof(AlertId)),
        AccountId = e.PartitionKey,
        Period = e.GetString(nameof(Period)),
        Kind = e.GetString(nameof(Kind)),
        ThresholdKey = e.GetString(nameof(ThresholdKey)),
        Threshold = e.GetDecimal(nameof(Threshold)),
        Value = e.GetDecimal(nameof(Value)),
        JobId = e.GetString(nameof(JobId)),
        RaisedAt = e.GetDateTimeOffset(nameof(RaisedAt)) ?? DateTimeOffset.MinValue,
        PassedThresholds = [.. (JsonSerializer.Deserialize<List<string>>(e.GetString(nameof(PassedThresholds)) ?? "[]") ?? [])
            .Select(t => decimal.Parse(t, System.Globalization.CultureInfo.InvariantCulture))],
        Passed = e.GetBoolean(nameof(Passed)) ?? false,
        Published = e.GetBoolean(nameof(Published)) ?? false,
        PublishedAt = e.GetDateTimeOffset(nameof(PublishedAt)),
        Delivered = e.GetBoolean(nameof(Delivered)) ?? false,
        DeliveredAt = e.GetDateTimeOffset(nameof(DeliveredAt)),
        DeliveredTo = JsonSerializer.Deserialize<List<string>>(e.GetString(nameof(DeliveredTo)) ?? "[]") ?? [],
        DeliveryError = e.GetString(nameof(DeliveryError)) is { Length: > 0 } error ? error : null,
    };
}
