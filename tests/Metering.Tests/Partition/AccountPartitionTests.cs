using Azure.Data.Tables;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Partition;

/// <summary>The partition gateway over real Azurite: races are decided again, an existing new row is never retried as a race.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AccountPartitionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private MeteringHarness _harness = null!;

    private AccountPartition Partition => _harness.Get<AccountPartition>();

    public async Task InitializeAsync() => _harness = await MeteringHarness.CreateAsync(azurite, azurite.UniqueNames(nameof(AccountPartitionTests)), Now);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task TransactAsync_InsertsANewRowThatExists_DecidesOnceMoreThenRefusesWithoutRetrying()
    {
        await Partition.TransactAsync("acct-exists", async (rows, ct) =>
        {
            var first = new LedgerTransaction("acct-exists");
            first.Insert(new TableEntity("acct-exists", "grant|taken"));
            return await rows.SubmitAsync(first, ct);
        }, default);
        var attempts = 0;

        var refused = await Assert.ThrowsAsync<PartitionRowExistsException>(() => Partition.TransactAsync("acct-exists", async (rows, ct) =>
        {
            attempts++;
            var again = new LedgerTransaction("acct-exists");
            again.Insert(new TableEntity("acct-exists", "grant|taken"));
            return await rows.SubmitAsync(again, ct);
        }, default));

        // One attempt met the row, one more decided with it known (a decision that reads it answers a repeat): never 60.
        Assert.Equal(2, attempts);
        Assert.Equal("grant|taken", refused.RowKey);
    }

    [Fact]
    public async Task TransactAsync_AttemptThatReadsTheExistingRow_AnswersItAsARepeat()
    {
        await Partition.TransactAsync("acct-repeat", async (rows, ct) =>
        {
            var first = new LedgerTransaction("acct-repeat");
            first.Insert(new TableEntity("acct-repeat", "credit|order-1") { ["Credits"] = "5" });
            return await rows.SubmitAsync(first, ct);
        }, default);

        var answer = await Partition.TransactAsync("acct-repeat", async (rows, ct) =>
        {
            if (rows.FoundExisting("credit|order-1"))
            {
                return (await rows.ReadStoredAsync("credit|order-1", ct))!.GetString("Credits");
            }

            var again = new LedgerTransaction("acct-repeat");
            again.Insert(new TableEntity("acct-repeat", "credit|order-1") { ["Credits"] = "5" });
            await rows.SubmitAsync(again, ct);
            return "inserted";
        }, default);

        Assert.Equal("5", answer);
    }

    [Fact]
    public async Task TransactAsync_TwoInstancesRaceForOneRow_EveryIncrementCountsOnce()
    {
        var instances = new[] { Partition, _harness.OtherInstancePartition() };

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => instances[i % 2].TransactAsync("acct-count", async (rows, ct) =>
        {
            var row = await rows.ReadAsync(LedgerKeys.Account, ct);
            var count = row?.GetInt32("Count") ?? 0;
            var write = new LedgerTransaction("acct-count");
            write.Save(new TableEntity("acct-count", LedgerKeys.Account) { ["Count"] = count + 1 }, row?.ETag);
            return await rows.SubmitAsync(write, ct);
        }, default))));

        var stored = await Partition.ReadRowAsync("acct-count", LedgerKeys.Account, default);
        Assert.Equal(20, stored!.GetInt32("Count"));
    }

    [Fact]
    public async Task TransactAsync_WriteInsideAWriteOfTheSameAccount_FailsInsteadOfWaitingForItself()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => Partition.TransactAsync("acct-nested", async (_, ct) =>
            await Partition.TransactAsync("acct-nested", (_, _) => Task.FromResult(1), ct), default));
    }

    [Fact]
    public async Task SetPlanAsync_AfterAGrantTookTheSignUpReference_AnswersInsteadOfStayingBusy()
    {
        // The sign-up bonus's row taken by hand (as a caller could before references were reserved): moving to starter
        // must not be retried as a race for a minute and then answer 503; it is refused at once as an existing row.
        var registry = _harness.Get<AccountRegistry>();
        var plans = _harness.Get<PlanCatalog>();
        await registry.SetPlanAsync("acct-signup", Plan(plans, "enterprise"), default);
        await Partition.TransactAsync("acct-signup", async (rows, ct) =>
        {
            var taken = new LedgerTransaction("acct-signup");
            taken.Insert(new TableEntity("acct-signup", LedgerKeys.Grant(AccountFactory.SignUpGrantId)));
            return await rows.SubmitAsync(taken, ct);
        }, default);

        var outcome = await Record.ExceptionAsync(() => registry.SetPlanAsync("acct-signup", Plan(plans, "starter"), default));

        Assert.True(outcome is null or PartitionRowExistsException, outcome?.ToString());
    }

    private static Plan Plan(PlanCatalog plans, string name) => plans.TryGet(name, out var plan) ? plan : throw new InvalidOperationException(name);
}
