using Parquet.Serialization;

namespace UsageProcessor.Metering.Exports;

/// <summary>One figure of a verified unit: what the ledger holds, what the manifest says and what the files hold.</summary>
/// <param name="Unit">The unit.</param>
/// <param name="AccountId">The account, or null for the unit's totals.</param>
/// <param name="LedgerRows">Rows in the ledger now.</param>
/// <param name="FileRows">Rows in the unit's files.</param>
/// <param name="LedgerCredits">Exact credits in the ledger now.</param>
/// <param name="FileCredits">Exact credits in the files.</param>
public sealed record ExportCount(string Unit, string? AccountId, long LedgerRows, long FileRows, decimal LedgerCredits, decimal FileCredits)
{
    /// <summary>Whether the files agree with the ledger.</summary>
    public bool Matches => LedgerRows == FileRows && LedgerCredits == FileCredits;
}

/// <summary>The outcome of verifying a day: per table and account, and every problem found (there must be none).</summary>
public sealed record ExportVerifyReport(DateOnly Day, IReadOnlyList<ExportCount> Counts, IReadOnlyList<string> Problems)
{
    /// <summary>Whether the day's files are exactly the ledger's rows.</summary>
    public bool Ok => Problems.Count == 0;
}

/// <summary>Recounts a day's files (rows and credit sums per account) against the manifest and against the ledger read afresh.</summary>
public sealed class ExportVerifier(ExportSource source, ExportWriter writer)
{
    /// <summary>Verifies <paramref name="day"/>'s usage and activity exports.</summary>
    public async Task<ExportVerifyReport> VerifyAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var accounts = await source.AccountIdsAsync(cancellationToken);
        var counts = new List<ExportCount>();
        var problems = new List<string>();
        var usage = (await source.UsageBilledOnAsync(accounts, day, cancellationToken)).Select(r => (r.AccountId, (decimal?)r.Credits));
        await VerifyAsync<UsageExportRow>(ExportUnit.OfDay(ExportTables.Usage, day), usage, r => (r.AccountId, r.Credits), counts, problems, cancellationToken);
        var activity = (await source.ActivityOnAsync(accounts, day, cancellationToken)).Select(e => (e.AccountId, e.Credits));
        await VerifyAsync<ActivityExportRow>(ExportUnit.OfDay(ExportTables.Activity, day), activity, r => (r.AccountId, r.Credits), counts, problems, cancellationToken);
        return new ExportVerifyReport(day, counts, problems);
    }

    private async Task VerifyAsync<TRow>(
        ExportUnit unit, IEnumerable<(string AccountId, decimal? Credits)> ledger, Func<TRow, (string AccountId, decimal? Credits)> read,
        List<ExportCount> counts, List<string> problems, CancellationToken cancellationToken)
        where TRow : class, new()
    {
        var name = unit.ToString();
        var manifest = await writer.ReadManifestAsync(unit, cancellationToken);
        if (manifest is null)
        {
            problems.Add($"{name}: no manifest (not exported)");
            return;
        }

        var files = new List<(string AccountId, decimal? Credits)>();
        foreach (var part in manifest.Parts)
        {
            using var stream = (await writer.DownloadAsync(part.Name, cancellationToken)).ToStream();
            var rows = (await ParquetSerializer.DeserializeAsync<TRow>(stream, cancellationToken: cancellationToken)).Data.Select(read).ToList();
            if (rows.Count != part.Rows || rows.Sum(r => r.Credits ?? 0m) != part.Credits)
            {
                problems.Add($"{part.Name}: holds {rows.Count} rows and {rows.Sum(r => r.Credits ?? 0m)} credits; the manifest says {part.Rows} and {part.Credits}");
            }

            files.AddRange(rows);
        }

        var stray = (await writer.ListPartsAsync(unit, cancellationToken)).Except(manifest.Parts.Select(p => p.Name), StringComparer.Ordinal).ToList();
        problems.AddRange(stray.Select(s => $"{s}: not in the manifest (a reader globbing *.parquet would count it)"));
        var ledgerRows = ledger.ToList();
        foreach (var account in ledgerRows.Select(r => r.AccountId).Concat(files.Select(r => r.AccountId)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var l = ledgerRows.Where(r => r.AccountId == account).ToList();
            var f = files.Where(r => r.AccountId == account).ToList();
            var count = new ExportCount(name, account, l.Count, f.Count, l.Sum(r => r.Credits ?? 0m), f.Sum(r => r.Credits ?? 0m));
            counts.Add(count);
            if (!count.Matches)
            {
                problems.Add($"{name} {account}: ledger {count.LedgerRows} rows, {count.LedgerCredits} credits; files {count.FileRows} rows, {count.FileCredits} credits");
            }
        }

        counts.Add(new ExportCount(name, null, ledgerRows.Count, files.Count, ledgerRows.Sum(r => r.Credits ?? 0m), files.Sum(r => r.Credits ?? 0m)));
    }
}
