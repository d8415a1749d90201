namespace UsageProcessor.Metering.Accounts;

/// <summary>Credits set aside for one admitted request until its job-completed message settles them, or they expire.</summary>
/// <param name="RequestId">The request's id: the job id its job-completed message will carry.</param>
/// <param name="Credits">The quoted credits.</param>
/// <param name="ExpiresAt">When the reservation stops counting if no job settled it.</param>
public sealed record Reservation(string RequestId, decimal Credits, DateTimeOffset ExpiresAt)
{
    /// <summary>A fingerprint of the usage that was quoted (<c>UsageFingerprint</c>), so a retry with other usage of the same price is told apart; null on reservations made before it was kept.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Usage { get; init; }

    /// <summary>The project the request was admitted for, whose budget the reservation counts against; null for none.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? ProjectId { get; init; }

    /// <summary>The API key the request was admitted for, whose budget the reservation counts against; null for none.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? ApiKeyId { get; init; }

    /// <summary>Whether the reservation counts against the budget of <paramref name="scope"/> <paramref name="id"/>.</summary>
    public bool CountsFor(BudgetScope scope, string id) =>
        string.Equals(scope == BudgetScope.Project ? ProjectId : ApiKeyId, id, StringComparison.Ordinal);

    /// <summary>Whether <paramref name="credits"/> and <paramref name="usage"/> ask for this same reservation (a retry of its request).</summary>
    public bool IsSameAs(decimal credits, string? usage) => Credits == credits && (Usage is null || usage is null || Usage == usage);

    /// <summary>Whether the reservation still counts at <paramref name="now"/>.</summary>
    public bool ActiveAt(DateTimeOffset now) => now < ExpiresAt;
}
