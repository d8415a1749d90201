namespace UsageProcessor.Pricing;

/// <summary>How a job ended, as its message says; the price book decides what each outcome costs.</summary>
public enum JobOutcome
{
    /// <summary>The job did all it was asked: the default when a message names no outcome.</summary>
    Succeeded,

    /// <summary>The job failed: billed as the book's <c>outcomes.failed</c> says (free in the shipped book).</summary>
    Failed,

    /// <summary>The job did part of the work: billed as the book's <c>outcomes.partial</c> says (on its processed units in the shipped book).</summary>
    Partial,
}

/// <summary>Names of job outcomes as they appear in messages, JSON answers and CSV.</summary>
public static class JobOutcomeNames
{
    /// <summary>The wire name of <paramref name="outcome"/>.</summary>
    public static string ToWireName(this JobOutcome outcome) => outcome switch
    {
        JobOutcome.Succeeded => "succeeded",
        JobOutcome.Failed => "failed",
        JobOutcome.Partial => "partial",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown job outcome."),
    };

    /// <summary>Reads a wire name; null (absent) is <see cref="JobOutcome.Succeeded"/>.</summary>
    public static bool TryParse(string? name, out JobOutcome outcome)
    {
        switch (name)
        {
            case null or "succeeded":
                outcome = JobOutcome.Succeeded;
                return true;
            case "failed":
                outcome = JobOutcome.Failed;
                return true;
            case "partial":
                outcome = JobOutcome.Partial;
                return true;
            default:
                outcome = JobOutcome.Succeeded;
                return false;
        }
    }
}

/// <summary>What a price book charges for a failed or partial job (its <c>outcomes</c> section).</summary>
/// <param name="FailedUnits">
/// The units a failed job is billed for, at most its requested units: 0 makes a failure free, n charges a minimum of up to
/// n units, null bills the requested units as if it had succeeded.
/// </param>
/// <param name="PartialOnProcessedUnits">Whether a partial job is billed on its processed units (otherwise on its requested ones).</param>
public sealed record OutcomeCharges(int? FailedUnits, bool PartialOnProcessedUnits)
{
    /// <summary>The rule of a book without an <c>outcomes</c> section, and of the shipped book: failures free, partial jobs on processed units.</summary>
    public static OutcomeCharges Default { get; } = new(0, true);
}
