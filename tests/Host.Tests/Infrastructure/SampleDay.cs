namespace UsageProcessor.Host.Tests.Infrastructure;

/// <summary>What samples/day.jsonl holds and must bill to, as samples/README.md states it.</summary>
internal static class SampleDay
{
    /// <summary>Non-blank lines in the file.</summary>
    public const int Lines = 212;

    /// <summary>Lines that repeat an earlier line exactly (redeliveries).</summary>
    public const int Duplicates = 8;

    /// <summary>The job id of the one line the contract rejects.</summary>
    public const string InvalidJobId = "docpipe-eu1:20261125-999999";

    /// <summary>Per account: distinct billed jobs and their credits.</summary>
    public static IReadOnlyDictionary<string, (int Jobs, decimal Credits)> Accounts { get; } = new Dictionary<string, (int, decimal)>
    {
        ["acme-corp"] = (70, 1524.6m),
        ["contoso-health"] = (45, 3405.2m),
        ["fabrikam_insurance"] = (35, 1400m),
        ["northwind.media"] = (45, 1364.1m),
        ["tailspin-labs"] = (8, 12.5m),
    };

    /// <summary>After samples/credits.sh, per account on starter (the capped account, on pro, is checked on its own): grant credits left, credits owed, and used credits and jobs of the period.</summary>
    public static IReadOnlyDictionary<string, (decimal WalletCredits, decimal Owed, decimal Used, int Jobs)> AfterCredits { get; } =
        new Dictionary<string, (decimal, decimal, decimal, int)>
        {
            ["acme-corp"] = (75.4m, 0m, 1524.6m, 70),
            ["contoso-health"] = (0m, 3205.2m, 3405.2m, 45),
            ["northwind.media"] = (0m, 1264.1m, 1364.1m, 45),
            ["tailspin-labs"] = (TailspinLeft, 0m, 12.5m - TrialOneCredits, 7),
        };

    /// <summary>The credits of job trial-1, which samples/credits.sh voids.</summary>
    public const decimal TrialOneCredits = 3m;

    /// <summary>tailspin-labs' grant credits left after samples/credits.sh: 87.5 of the bonus, trial-1's credits back, and the 50-credit promotion.</summary>
    public const decimal TailspinLeft = 87.5m + TrialOneCredits + 50m;

    /// <summary>The account samples/README.md caps before sending the day, and its monthly cap in credits.</summary>
    public const string CappedAccount = "fabrikam_insurance";

    /// <summary>The cap samples/README.md sets on <see cref="CappedAccount"/>.</summary>
    public const decimal Cap = 1000m;

    /// <summary>The jobs of <see cref="CappedAccount"/> billed past the cap when billed in file order.</summary>
    public const int JobsPastCap = 8;

    /// <summary>The non-blank lines of the file.</summary>
    public static IReadOnlyList<string> ReadLines() =>
        [.. File.ReadLines(Repository.SampleDay).Where(l => !string.IsNullOrWhiteSpace(l))];

    /// <summary>The text of samples/credits.sh.</summary>
    public static string CreditsScript() => File.ReadAllText(Path.Combine(Path.GetDirectoryName(Repository.SampleDay)!, "credits.sh"));
}
