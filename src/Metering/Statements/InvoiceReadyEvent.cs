namespace UsageProcessor.Metering.Statements;

/// <summary>The <c>invoice-ready</c> queue message sent for each closed statement, for a pipeline that creates the invoice.</summary>
/// <param name="Type">Always <c>invoice-ready</c>.</param>
/// <param name="Id">The statement's id, <c>{accountId}:{period}</c>: the same on every send, to deduplicate on.</param>
/// <param name="AccountId">The account.</param>
/// <param name="Period">The statement's period.</param>
/// <param name="ClosedAt">When it closed.</param>
/// <param name="Totals">Its totals (USD rounded once on each sum).</param>
/// <param name="Statement">Where to read it: the path of <c>GET /api/accounts/{accountId}/statements/{period}</c>.</param>
public sealed record InvoiceReadyEvent(string Type, string Id, string AccountId, string Period, DateTimeOffset ClosedAt, StatementTotals Totals, string Statement)
{
    /// <summary>The event's type name.</summary>
    public const string TypeName = "invoice-ready";

    /// <summary>The event of a closed statement.</summary>
    public static InvoiceReadyEvent From(Statement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return new(TypeName, $"{statement.AccountId}:{statement.Period}", statement.AccountId, statement.Period,
            statement.ClosedAt ?? throw new ArgumentException("A draft statement has no invoice.", nameof(statement)),
            statement.Totals, $"/api/accounts/{Uri.EscapeDataString(statement.AccountId)}/statements/{statement.Period}");
    }
}
