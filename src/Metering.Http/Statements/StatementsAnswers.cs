namespace UsageProcessor.Metering.Http.Statements;

// The bodies these routes answer with. Handlers serialize exactly these types with ApiJson.Options, and the OpenAPI
// document takes its schemas from them, so the document cannot describe a field the answer does not have.

/// <summary>An account's statements: every closed one, and a draft of each period still open.</summary>
public sealed record StatementList(string AccountId, IReadOnlyList<StatementSummary> Items);

/// <summary>One statement without its lines.</summary>
public sealed record StatementSummary(string Period, string Status, DateTimeOffset? ClosedAt, int Lines, Metering.Statements.StatementTotals Totals)
{
    /// <summary>The summary of <paramref name="s"/>.</summary>
    public static StatementSummary From(Metering.Statements.Statement s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(s.Period, s.Status, s.ClosedAt, s.Lines.Count, s.Totals);
    }
}
