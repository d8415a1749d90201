using Azure.Data.Tables;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Alerts;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Http.Accounts;
using UsageProcessor.Metering.Http.Admission;
using UsageProcessor.Metering.Http.Credits;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Accounts;

/// <summary>The account row against Azure's limits, which Azurite does not enforce: sizes are computed as Azure counts them.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AccountRowBudgetStorageTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 16, 12, 0, 0, TimeSpan.Zero);

    // The widest text a decimal has: a sign, 29 digits and a point.
    private static readonly decimal Widest = new(-1, -1, -1, isNegative: true, scale: 28);

    // An instant whose JSON is the longest: seven fractional digits and an offset.
    private static readonly DateTimeOffset LongInstant = new DateTimeOffset(2026, 11, 16, 12, 0, 0, TimeSpan.FromHours(-11)).AddTicks(1234567);

    private MeteringHarness _harness = null!;

    public async Task InitializeAsync() =>
        _harness = await MeteringHarness.CreateAsync(azurite, azurite.UniqueNames(nameof(AccountRowBudgetStorageTests)), Now);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task ToEntity_EveryListAtItsLimitWithLongestIds_FitsAzureLimitsAndCommits()
    {
        var account = FullAccount(new string('a', Identifiers.MaxAccountIdLength));
        Assert.True(Widest.ToString(System.Globalization.CultureInfo.InvariantCulture).Length == 31);

        var entity = account.ToEntity();
        await _harness.Get<MeteringTables>().Ledger.AddEntityAsync(entity);

        AssertWithinAzureLimits(entity);
        var stored = await ReadAccountRowAsync(account.AccountId);
        AssertWithinAzureLimits(stored);
        var back = AccountState.FromEntity(stored);
        Assert.Equal(AccountRowBudget.MaxLiveGrants, back.Grants.Count);
        Assert.Equal(AccountRowBudget.MaxReservations, back.Reservations.Count);
        Assert.Equal(AccountRowBudget.MaxPlanChanges, back.Plans.Changes.Count);
        Assert.Equal(AccountRowBudget.MaxAlertThresholds, back.AlertThresholds.Count);
        Assert.Equal(account.Grants[^1].Id, back.Grants[^1].Id);
        Assert.Equal(account.Reservations[^1], back.Reservations[^1]);
        // With margin: the worst case is under a third of the entity limit.
        Assert.True(EntityBytes(stored) < AccountRowBudget.MaxEntityBytes / 3, $"{EntityBytes(stored)} bytes");
    }

    [Fact]
    public async Task AddCreditsAsync_OneLiveGrantPastTheLimit_Is409NamingTheLimitAndStoresNothing()
    {
        const string accountId = "acct-budget-buy";
        await _harness.Get<AccountRegistry>().SetPlanAsync(accountId, _harness.Get<PlanCatalog>().Get("starter"), default); // the sign-up grant
        for (var i = 1; i < AccountRowBudget.MaxLiveGrants; i++)
        {
            var bought = await BuyAsync(accountId, $"order-{i:D3}-{new string('x', 54)}");
            Assert.Equal(200, bought.Status);
        }

        var refused = await BuyAsync(accountId, "order-one-too-many");
        var credit = await ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<CreditsApi>().AdjustAsync(r, accountId, default), "POST",
            """{"type":"credit","credits":5,"reference":"fix-too-many","reason":"goodwill","actor":"ops@example.com"}""");

        Assert.Equal(409, refused.Status);
        Assert.Equal("live-grants", refused.Json.GetProperty("limit").GetString());
        Assert.Equal(409, credit.Status);
        Assert.Equal("live-grants", credit.Json.GetProperty("limit").GetString());
        var row = await ReadAccountRowAsync(accountId);
        Assert.Equal(AccountRowBudget.MaxLiveGrants, AccountState.FromEntity(row).Grants.Count);
        Assert.Null(await _harness.Get<MeteringTables>().Ledger.ReadRowAsync(_harness.Get<StoragePipelines>().Storage, accountId, LedgerKeys.Purchase("order-one-too-many"), default));
        AssertWithinAzureLimits(row);
    }

    [Fact]
    public async Task AdmitAsync_ReservationsWithTheLongestRequestIds_FitUpToTheLimitAndTheNextIs409()
    {
        const string accountId = "acct-budget-reserve";
        await _harness.Get<AccountRegistry>().SetPlanAsync(accountId, _harness.Get<PlanCatalog>().Get("enterprise"), default);
        for (var i = 0; i < AccountRowBudget.MaxReservations; i++)
        {
            var admitted = await ReserveAsync(accountId, $"{i:D3}" + new string('r', AccountRowBudget.MaxReservationRequestIdLength - 3));
            Assert.Equal(200, admitted.Status);
        }

        var refused = await ReserveAsync(accountId, "one-too-many");
        var tooLong = await ReserveAsync(accountId, new string('r', AccountRowBudget.MaxReservationRequestIdLength + 1));

        Assert.Equal(409, refused.Status);
        Assert.Equal("reservations", refused.Json.GetProperty("limit").GetString());
        Assert.Equal(400, tooLong.Status);
        Assert.NotEmpty(tooLong.ErrorsFor("requestId"));
        var row = await ReadAccountRowAsync(accountId);
        Assert.Equal(AccountRowBudget.MaxReservations, AccountState.FromEntity(row).Reservations.Count);
        AssertWithinAzureLimits(row);
    }

    [Fact]
    public async Task SetPlanAsync_ThousandPlanChanges_RowStaysWithinBudgetAndBillingIsExact()
    {
        const string accountId = "acct-budget-plans";
        var registry = _harness.Get<AccountRegistry>();
        var plans = _harness.Get<PlanCatalog>();
        await registry.SetPlanAsync(accountId, plans.Get("starter"), default);
        for (var i = 0; i < 1000; i++)
        {
            _harness.Clock.Advance(TimeSpan.FromDays(5));
            var (_, _, refused) = await registry.SetPlanAsync(accountId, plans.Get(i % 2 == 0 ? "pro" : "starter"), default);
            Assert.Null(refused);
        }

        // The last change was to starter; pro from the first of this month on gives the whole month's credits.
        var now = _harness.Clock.GetUtcNow();
        _harness.Clock.SetUtcNow(BillingPeriod.Of(now).Start.AddMonths(1));
        await registry.SetPlanAsync(accountId, plans.Get("pro"), default);
        _harness.Clock.Advance(TimeSpan.FromMinutes(1));
        var job = JobMessageParser.ParseJob(JobMessages.Create("job-after-1000", accountId, _harness.Clock.GetUtcNow().AddSeconds(-5), detail: "hi", pages: 2)).Value!;
        var billed = await _harness.Get<AccountLedger>().CommitAsync(accountId, [new PricedJob(job, PriceBook.LoadEmbedded().Quote(job.Usage).Quote)], default);

        Assert.Equal(JobCommitStatus.Billed, billed[0].Status);
        Assert.Equal(billed[0].Record!.Credits, billed[0].Record!.IncludedCredits);
        var row = await ReadAccountRowAsync(accountId);
        var account = AccountState.FromEntity(row);
        Assert.InRange(account.Plans.Changes.Count, 2, AccountRowBudget.MaxPlanChanges);
        var period = BillingPeriod.Of(_harness.Clock.GetUtcNow());
        Assert.Equal(100_000m, account.Plans.IncludedCreditsFor(period, plans));
        AssertWithinAzureLimits(row);
    }

    private Task<ApiResponse> BuyAsync(string accountId, string reference) =>
        ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<AccountsApi>().AddCreditsAsync(r, accountId, default), "POST",
            $$"""{"credits":99999999.9999,"reference":"{{reference}}"}""");

    private Task<ApiResponse> ReserveAsync(string accountId, string requestId) =>
        ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<AdmissionApi>().AdmitAsync(r, accountId, default), "POST",
            $$"""{"requestId":"{{requestId}}","domain":"document.invoice","pages":3}""");

    private async Task<TableEntity> ReadAccountRowAsync(string accountId) =>
        await _harness.Get<MeteringTables>().Ledger.ReadRowAsync(_harness.Get<StoragePipelines>().Storage, accountId, LedgerKeys.Account, default)
        ?? throw new InvalidOperationException("no account row");

    private static AccountState FullAccount(string accountId)
    {
        var account = new AccountState
        {
            AccountId = accountId,
            CreatedAt = LongInstant,
            Plans = new PlanHistory(Enumerable.Range(0, AccountRowBudget.MaxPlanChanges)
                .Select(i => new PlanChange(new string((char)('a' + i % 26), AccountRowBudget.MaxPlanNameLength), LongInstant.AddMinutes(i)))),
            WalletGranted = Widest,
            WalletUsed = Widest,
            OwedOutstanding = Widest,
            OwedPaid = Widest,
            ExpiredCredits = Widest,
            BonusGranted = true,
            UpdatedAt = LongInstant,
            RecentMinutesFrom = LongInstant,
            SpendCap = new SpendCap(Widest, SpendCapBasis.Overage),
            AdmissionLog = new byte[AccountRowBudget.MaxRateLimitPerMinute * sizeof(long)],
            LatestPeriod = new PeriodFigures("2026-11", Widest, Widest, Widest),
            BalanceSequence = long.MaxValue,
        };
        for (var i = 0; i < AccountRowBudget.MaxLiveGrants; i++)
        {
            account.Grants.Add(new CreditGrant
            {
                Id = $"{i:D3}".PadRight(AccountRowBudget.MaxGrantIdLength, 'g'),
                Reason = GrantReasons.Correction,
                Credits = Widest,
                Used = Widest,
                Priority = 100,
                ExpiresAt = LongInstant,
                GrantedAt = LongInstant,
                // Every subscribed grant-expiring day, normalised as the row keeps them (whole days 1 to 366).
                ExpiringAlertedDays = [.. Enumerable.Range(366 - AccountRowBudget.MaxAlertThresholds + 1, AccountRowBudget.MaxAlertThresholds).Select(d => (decimal)d)],
            });
        }

        for (var i = 0; i < AccountRowBudget.MaxReservations; i++)
        {
            account.Reservations.Add(new Reservation($"{i:D3}".PadRight(AccountRowBudget.MaxReservationRequestIdLength, 'r'), Widest, LongInstant) { Usage = new string('f', 16), ProjectId = new string('p', Identifiers.MaxProjectIdLength), ApiKeyId = new string('k', Identifiers.MaxProjectIdLength) });
        }

        for (var i = 0; i < AccountRowBudget.MaxAlertThresholds; i++)
        {
            account.AlertThresholds.Add(new AlertThreshold(AlertKinds.CreditsRemainingBelow, Widest + i));
        }

        for (var i = 0; i < AccountRowBudget.MaxRecentMinutes; i++)
        {
            account.RecentMinutes[LongInstant.AddMinutes(i)] = long.MaxValue;
        }

        return account;
    }

    private static void AssertWithinAzureLimits(TableEntity entity)
    {
        foreach (var (name, value) in entity)
        {
            Assert.True(ValueBytes(value) <= AccountRowBudget.MaxPropertyBytes, $"{name}: {ValueBytes(value)} bytes");
        }

        Assert.True(EntityBytes(entity) <= AccountRowBudget.MaxEntityBytes, $"entity: {EntityBytes(entity)} bytes");
        Assert.True(entity.Count + 3 <= AccountRowBudget.MaxProperties, $"{entity.Count} properties");
    }

    // Azure's formula: 4 bytes + (PartitionKey + RowKey) * 2 + each property's 8 bytes, name * 2 and value.
    private static long EntityBytes(TableEntity entity) =>
        4 + (entity.PartitionKey.Length + entity.RowKey.Length) * 2L
        + entity.Where(p => p.Key is not ("PartitionKey" or "RowKey" or "odata.etag") && p.Value is not null)
            .Sum(p => 8 + p.Key.Length * 2L + ValueBytes(p.Value));

    // Strings are UTF-16 (2 bytes a char) plus 4, binary its length plus 4, as Azure counts them.
    private static long ValueBytes(object? value) => value switch
    {
        null => 0,
        string s => s.Length * 2L + 4,
        byte[] b => b.Length + 4L,
        BinaryData b => b.ToArray().Length + 4L,
        bool => 1,
        int => 4,
        long or double or DateTime or DateTimeOffset => 8,
        Guid => 16,
        _ => throw new InvalidOperationException($"no Azure size for {value.GetType()}"),
    };
}
