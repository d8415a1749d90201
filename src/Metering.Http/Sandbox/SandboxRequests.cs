using UsageProcessor.Metering.Sandbox;

namespace UsageProcessor.Metering.Http.Sandbox;

/// <summary>The body of <c>POST /api/sandbox/clock</c>: set the clock to an instant, or advance it; exactly one.</summary>
/// <param name="To">The instant to set the clock to (ISO 8601 with an offset); after the clock's now.</param>
/// <param name="AdvanceMinutes">How many minutes to move the clock forward, greater than 0, at most 576,000 (400 days).</param>
/// <remarks>
/// The members only describe the body (the binder reads it field by field). Minutes are not money: a nullable
/// <see cref="double"/> gives the schema a nullable number, where the exact-decimal converter would leave it untyped
/// and the document would wrongly require it.
/// </remarks>
public sealed record SandboxClockRequest(DateTimeOffset? To = null, double? AdvanceMinutes = null) : IRequestBody<SandboxClockMove>
{
    static string IRequestBody<SandboxClockMove>.Example => "{\"advanceMinutes\":1440}";

    static SandboxClockMove? IRequestBody<SandboxClockMove>.Bind(BodyFields body)
    {
        var to = body.Instant("to");
        var minutes = body.Decimal("advanceMinutes");
        TimeSpan? advance = null;
        if (minutes is { } m)
        {
            if (m <= 0 || m > (decimal)SandboxClockRule.MaxMove.TotalMinutes)
            {
                body.Refuse("advanceMinutes", "must be greater than 0 and at most 576000 (400 days).");
            }
            else
            {
                advance = TimeSpan.FromMinutes((double)m);
            }
        }

        if (to is null && minutes is null && !body.IsRefused("to") && !body.IsRefused("advanceMinutes"))
        {
            body.Refuse("to", "give exactly one of to (an instant) and advanceMinutes.");
        }

        if (to is not null && minutes is not null)
        {
            body.Refuse("to", "give exactly one of to (an instant) and advanceMinutes.");
        }

        return body.Valid ? new SandboxClockMove(to, advance) : null;
    }
}
