using UsageProcessor.Metering.Http.Pricing;

namespace UsageProcessor.Metering.Http.Admission;

// The bodies these routes answer with. Handlers serialize exactly these types with ApiJson.Options, and the OpenAPI
// document takes its schemas from them, so the document cannot describe a field the answer does not have.

/// <summary>An admitted request; <see cref="Remaining"/> is null for a plan without a limit.</summary>
public sealed record AdmissionView(string AccountId, string Plan, bool Admitted, int? Remaining)
{
    /// <summary>The credits set aside for the request when the admission carried its usage; null otherwise.</summary>
    public ReservationView? Reservation { get; init; }

    /// <summary>With <c>fit</c>: the variant of the usage that was reserved, and its price; null otherwise.</summary>
    public FitView? Fit { get; init; }
}

/// <summary>The variant of a job an admission with <c>fit</c> reserved: the job must run, and report, this usage.</summary>
/// <param name="Lowered">Whether anything was lowered from what was asked (false: the usage was reserved as asked).</param>
/// <param name="Detail">The detail level to run at: lo, auto or hi.</param>
/// <param name="Grounding">Whether to use grounding.</param>
/// <param name="ServiceTier">The tier to run at.</param>
/// <param name="Quote">The variant's price, which is what was reserved.</param>
public sealed record FitView(bool Lowered, string Detail, bool Grounding, string ServiceTier, JobQuote Quote);

/// <summary>Credits reserved for one request until its job-completed message (same id) settles them or they expire.</summary>
public sealed record ReservationView(string RequestId, decimal Credits, DateTimeOffset ExpiresAt);

/// <summary>A released reservation: its credits can be spent again at once.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="RequestId">The request whose reservation was released.</param>
/// <param name="ReleasedCredits">The credits it held.</param>
/// <param name="ReservedCredits">Credits still reserved on the account by other requests.</param>
public sealed record ReleasedReservationView(string AccountId, string RequestId, decimal ReleasedCredits, decimal ReservedCredits);
