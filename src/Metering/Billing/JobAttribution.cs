namespace UsageProcessor.Metering.Billing;

/// <summary>Who inside an account a job was done for: its project, the API key that called, the customer's own end user, and a few tags.</summary>
/// <remarks>
/// Every part is optional and none changes the job's price: attribution only says where the credits are reported. It is
/// part of the job's content (<see cref="PricedJob.Fingerprint"/>), so a job re-sent with other attribution is a conflict.
/// </remarks>
public sealed record JobAttribution
{
    /// <summary>The most tags one job carries.</summary>
    public const int MaxTags = 8;

    /// <summary>The longest tag name.</summary>
    public const int MaxTagNameLength = 32;

    /// <summary>The longest tag value.</summary>
    public const int MaxTagValueLength = 64;

    // Before None: static fields initialise in order, and None reads it.
    private static readonly IReadOnlyDictionary<string, string> EmptyTags = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>No attribution: a job that names none of the parts.</summary>
    public static JobAttribution None { get; } = new();

    /// <summary>The project the job was done for.</summary>
    public string? ProjectId { get; init; }

    /// <summary>The API key that requested the job.</summary>
    public string? ApiKeyId { get; init; }

    /// <summary>The account's own end user the job was done for.</summary>
    public string? EndUserId { get; init; }

    /// <summary>Short name-value tags, ordered by name (ordinal).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = EmptyTags;

    /// <summary>Whether the job names no part at all.</summary>
    public bool IsEmpty => ProjectId is null && ApiKeyId is null && EndUserId is null && Tags.Count == 0;

    /// <summary>The tags as a sorted dictionary, so equal tags compare and serialise alike.</summary>
    public static IReadOnlyDictionary<string, string> SortTags(IEnumerable<KeyValuePair<string, string>> tags) =>
        new SortedDictionary<string, string>(tags.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal), StringComparer.Ordinal);

    /// <summary>Whether two attributions name the same parts and tags.</summary>
    public bool Equals(JobAttribution? other) =>
        other is not null
        && string.Equals(ProjectId, other.ProjectId, StringComparison.Ordinal)
        && string.Equals(ApiKeyId, other.ApiKeyId, StringComparison.Ordinal)
        && string.Equals(EndUserId, other.EndUserId, StringComparison.Ordinal)
        && Tags.Count == other.Tags.Count
        && Tags.All(t => other.Tags.TryGetValue(t.Key, out var v) && string.Equals(v, t.Value, StringComparison.Ordinal));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(ProjectId, ApiKeyId, EndUserId, Tags.Count);

}
