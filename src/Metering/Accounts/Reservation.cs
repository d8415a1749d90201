namespace UsageProcessor.Metering.Accounts;

/// <summary>Credits set aside for one admitted request until its job-completed message settles them, or they expire.</summary>
/// <param name="RequestId">The request's id: the job id its job-completed message will carry.</param>
/// <param name="Credits">The quoted credits.</param>
/// <param name="ExpiresAt">When the reservation stops counting if no job settled it.</param>
public sealed record Reservation(string RequestId, decimal Credits, DateTimeOffset ExpiresAt)
{
    /// <summary>Whether the reservation still counts at <paramref name="now"/>.</summary>
    public bool ActiveAt(DateTimeOffset now) => now < ExpiresAt;
}
