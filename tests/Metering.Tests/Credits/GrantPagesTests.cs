using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Credits;

namespace UsageProcessor.Metering.Tests.Credits;

/// <summary><see cref="GrantPages"/>: newest first, by status, a page at a time without gaps or repeats.</summary>
public sealed class GrantPagesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static GrantBalance Balance(string id, int hoursAgo, string status) =>
        new(new StoredGrant(new CreditGrant { Id = id, Reason = "promotion", Credits = 1, GrantedAt = Now.AddHours(-hoursAgo) }, "ops", 0), 0, status, 0, 0, 0);

    private static readonly GrantBalance[] Grants =
    [
        Balance("b", 1, GrantStatuses.Active), Balance("a", 1, GrantStatuses.Expired), Balance("new", 0, GrantStatuses.Active),
        Balance("old", 30, GrantStatuses.Voided), Balance("mid", 5, GrantStatuses.Active),
    ];

    [Fact]
    public void Page_WholeList_IsNewestFirstThenById()
    {
        var (items, next) = GrantPages.Page(Grants, null, 10, null);

        Assert.Equal(["new", "a", "b", "mid", "old"], items.Select(g => g.Stored.Grant.Id));
        Assert.Null(next);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Page_FollowingCursors_ReturnsEveryGrantOfTheStatusOnceInOrder(int limit)
    {
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            (var items, cursor) = GrantPages.Page(Grants, GrantStatuses.Active, limit, cursor);
            Assert.InRange(items.Count, 1, limit);
            seen.AddRange(items.Select(g => g.Stored.Grant.Id));
        }
        while (cursor is not null);

        Assert.Equal(["new", "b", "mid"], seen);
    }

    [Fact]
    public void Page_StatusNoGrantHas_IsEmpty() =>
        Assert.Empty(GrantPages.Page(Grants, GrantStatuses.Scheduled, 10, null).Items);

    [Fact]
    public void CursorOf_EveryCursor_StartsWithThePrefix() =>
        Assert.All(Grants, g => Assert.StartsWith(GrantPages.CursorPrefix, GrantPages.CursorOf(g), StringComparison.Ordinal));
}
