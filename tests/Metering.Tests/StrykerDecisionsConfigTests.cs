using System.Text.Json;
using UsageProcessor.Testing;

namespace UsageProcessor.Metering.Tests;

/// <summary>
/// stryker-decisions.json mutates single members of files that also hold I/O, by character spans (Stryker.NET's
/// <c>file{start..end}</c>); an edit above a member moves it, and Stryker would then mutate the wrong text without a word.
/// </summary>
public sealed class StrykerDecisionsConfigTests
{
    /// <summary>The pure members of mixed files, by the text their declaration starts with.</summary>
    private static readonly (string File, string Member)[] Members =
    [
        ("Credits/CreditGrants.cs", "public static GrantBalance At(StoredGrant stored, CreditGrant? live, DateTimeOffset now)"),
        ("Credits/CreditGrants.cs", "private static bool IsSameGrant(StoredGrant stored, GrantRequest request)"),
        ("Credits/CreditGrants.cs", "internal static PartitionDecision<(GrantStatus, GrantBalance?)> Decide("),
        ("Credits/CreditGrants.cs", "public static StoredGrant Add("),
        ("Credits/CreditPurchases.cs", "internal static PartitionDecision<(PurchaseStatus, CreditPurchase?)> Decide("),
        ("Credits/CreditPurchases.cs", "public static string PurchaseGrantId(string reference)"),
        ("Credits/SpendCaps.cs", "internal static PartitionDecision<bool> Decide("),
        ("Credits/GrantLifecycle.cs", "internal static PartitionDecision<(GrantChangeStatus, GrantBalance?)> Decide("),
        ("Credits/GrantLifecycle.cs", "public static (IReadOnlyList<GrantBalance> Items, string? Next) Page("),
        ("Admission/ReservationRelease.cs", "internal static PartitionDecision<ReleaseResult> Decide("),
        ("Credits/AutoTopUps.cs", "internal static PartitionDecision<(TopUpFailureStatus, UsageAlert?)> DecideFailure("),
    ];

    [Fact]
    public void Mutate_MemberSpans_CoverExactlyThePureMembers()
    {
        var root = AzuriteProcess.RepositoryRoot();
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "tests/Metering.Tests/stryker-decisions.json")));
        var spans = config.RootElement.GetProperty("stryker-config").GetProperty("mutate").EnumerateArray()
            .Select(p => p.GetString()!)
            .Where(p => p.EndsWith('}'))
            .ToList();

        var expected = Members.Select(m => $"**/{m.File}{Span(File.ReadAllText(Path.Combine(root, "src/Metering", m.File)), m.Member)}").ToList();

        Assert.True(expected.SequenceEqual(spans), $"Put these spans in stryker-decisions.json:\n{string.Join('\n', expected)}");
    }

    /// <summary>From the member's first character to its closing brace (or the semicolon of an expression body).</summary>
    private static string Span(string source, string member)
    {
        var start = source.IndexOf(member, StringComparison.Ordinal);
        Assert.True(start >= 0, $"'{member}' is no longer in the file.");
        var block = source.IndexOf('{', start);
        var arrow = source.IndexOf("=>", start, StringComparison.Ordinal);
        int end;
        if (arrow >= 0 && (block < 0 || arrow < block))
        {
            end = source.IndexOf(';', arrow);
        }
        else
        {
            var depth = 0;
            for (end = block; ; end++)
            {
                depth += source[end] switch { '{' => 1, '}' => -1, _ => 0 };
                if (depth == 0)
                {
                    break;
                }
            }
        }

        return $"{{{start}..{end}}}";
    }
}
