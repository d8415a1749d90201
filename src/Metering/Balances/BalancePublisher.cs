using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Admission;
using UsageProcessor.Metering.Alerts;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Metering.Webhooks;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Balances;

/// <summary>An account's running balance after a commit, as published on the balance queue and posted to <c>balance-updated</c> webhooks.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Sequence">The account's commit count when the figures were taken: a consumer keeps the highest it has seen and drops the rest.</param>
/// <param name="Period">The billing period of the figures (YYYY-MM).</param>
/// <param name="Plan">The plan in force.</param>
/// <param name="UsedCredits">Credits billed in the period.</param>
/// <param name="CreditsRemaining">Credits left for admission (included and wallet) less what is reserved; null on an unlimited plan.</param>
/// <param name="WalletRemaining">Wallet credits left.</param>
/// <param name="OverageCredits">Overage credits in the period.</param>
/// <param name="OwedCredits">Credits past the wallet on a plan without overage.</param>
/// <param name="ReservedCredits">Credits reserved by admitted requests not yet completed.</param>
/// <param name="SpendCap">The monthly cap and what it counts; null for none.</param>
/// <param name="SpendCapReached">Whether the period's measure has reached the cap.</param>
/// <param name="AsOf">When the commit that produced the figures was made.</param>
public sealed record BalanceUpdate(
    string AccountId,
    long Sequence,
    string Period,
    string Plan,
    decimal UsedCredits,
    decimal? CreditsRemaining,
    decimal WalletRemaining,
    decimal OverageCredits,
    decimal OwedCredits,
    decimal ReservedCredits,
    SpendCapTerms? SpendCap,
    bool SpendCapReached,
    DateTimeOffset AsOf)
{
    /// <summary>The webhook message id of this update: the same for every post of one account's sequence number.</summary>
    public string MessageId => "bal_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{AccountId}\n{Sequence}")))[..32];
}

/// <summary>A spend cap as published: the monthly credits and what they count (<c>credits</c> or <c>overage</c>).</summary>
public sealed record SpendCapTerms(decimal MonthlyCredits, string AppliesTo)
{
    /// <summary>The published terms of <paramref name="cap"/>.</summary>
    public static SpendCapTerms Of(SpendCap cap)
    {
        ArgumentNullException.ThrowIfNull(cap);
        return new(cap.MonthlyCredits, cap.AppliesTo == SpendCapBasis.Overage ? "overage" : "credits");
    }
}

/// <summary>Publishes running balances after commits, where someone reads them: coalesced per account to one per interval, always the latest figures.</summary>
/// <remarks>
/// A commit only hands its figures over (<see cref="Observe"/>, in memory, never failing): publishing must never block
/// or fail a commit. A background loop (<see cref="BalancePublishing"/>) sends what is due: an account is due when
/// nothing was sent for it within <see cref="MeteringOptions.BalanceUpdateInterval"/>, and what it sends is the
/// newest figures seen meanwhile. The sequence number is the account row's commit count, so it rises across
/// instances; a consumer drops anything not newer than what it has. A balance is a cache hint, not a record: an update
/// lost to a crash is superseded by the account's next commit, and a failed send is tried again unless newer figures
/// arrived.
/// </remarks>
public sealed partial class BalancePublisher(
    MeteringTables tables,
    StoragePipelines pipelines,
    AlertSubscriptions subscriptions,
    WebhookSender sender,
    PlanCatalog plans,
    TimeProvider timeProvider,
    IOptions<MeteringOptions> options,
    ILogger<BalancePublisher> logger) : ICommitObserver
{
    private readonly ConcurrentDictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastSent = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _flushing = new(1, 1);

    /// <inheritdoc/>
    public Task BeforeCommitAsync(string accountId, BillingResult batch, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public void Committed(string accountId, BillingResult batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var account = batch.State.Account!;
        Observe(account, batch.State.Periods.Values.FirstOrDefault(p => p.Period.ToString() == account.LatestPeriod?.Period));
    }

    /// <summary>Takes the figures of a committed account state; the newest per account wins.</summary>
    public void Observe(AccountState account, PeriodBalance? latest)
    {
        ArgumentNullException.ThrowIfNull(account);
        // The account row lists its subscriptions' kinds, so an account without a balance webhook costs no query; with
        // no queue configured either, nobody reads its balance and nothing is kept or sent.
        var hasWebhooks = account.AlertThresholds.Exists(t => t.Kind == AlertKinds.BalanceUpdated);
        if (!hasWebhooks && tables.BalanceUpdates is null)
        {
            return;
        }

        var update = new Pending(UpdateOf(account, latest), hasWebhooks);
        _pending.AddOrUpdate(account.AccountId, update, (_, known) => known.Update.Sequence >= update.Update.Sequence ? known : update);
    }

    /// <summary>Accounts with figures waiting to be published.</summary>
    public int Waiting => _pending.Count;

    /// <summary>Publishes every account whose interval has passed; the background loop calls it, tests call it directly.</summary>
    /// <returns>How many updates were published.</returns>
    public async Task<int> FlushAsync(CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken);
        try
        {
            var now = timeProvider.GetUtcNow();
            var interval = options.Value.BalanceUpdateInterval;
            var sent = 0;
            foreach (var (accountId, pending) in _pending)
            {
                if (_lastSent.TryGetValue(accountId, out var last) && now - last < interval)
                {
                    continue;
                }

                if (!_pending.TryRemove(new KeyValuePair<string, Pending>(accountId, pending)))
                {
                    continue; // Newer figures arrived this instant: the next flush sends them.
                }

                _lastSent[accountId] = now;
                try
                {
                    await PublishAsync(pending, cancellationToken);
                    sent++;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Tried again at the next flush, unless newer figures replace it meanwhile.
                    _pending.TryAdd(accountId, pending);
                    LogPublishFailed(accountId, pending.Update.Sequence, e.GetType().Name);
                }
            }

            // Accounts quiet for a whole interval need no memory of their last send.
            foreach (var (accountId, last) in _lastSent)
            {
                if (now - last >= interval && !_pending.ContainsKey(accountId))
                {
                    _lastSent.TryRemove(new KeyValuePair<string, DateTimeOffset>(accountId, last));
                }
            }

            return sent;
        }
        finally
        {
            _flushing.Release();
        }
    }

    /// <summary>The figures of an account state, with credits left computed the way admission computes them.</summary>
    internal BalanceUpdate UpdateOf(AccountState account, PeriodBalance? latest)
    {
        var plan = plans.TryGet(account.Plans.Current, out var p) ? p : plans.Default;
        var period = latest?.Period ?? BillingPeriod.Of(account.UpdatedAt);
        var reserved = account.ReservedAt(account.UpdatedAt);
        var left = plan.UnlimitedCredits ? (decimal?)null : RequestAdmission.CreditsLeft(plans, account, period, latest?.IncludedUsed ?? 0) - reserved;
        var measure = account.SpendCap is { } cap && latest is not null ? SpendCapRule.Measure(cap, latest) : 0;
        return new BalanceUpdate(
            account.AccountId,
            account.BalanceSequence,
            period.ToString(),
            plan.Name,
            latest?.UsedCredits ?? 0,
            left,
            account.WalletRemaining,
            latest?.OverageCredits ?? 0,
            latest?.OwedCredits ?? 0,
            reserved,
            account.SpendCap is { } terms ? SpendCapTerms.Of(terms) : null,
            account.SpendCap is { } c && measure >= c.MonthlyCredits,
            account.UpdatedAt);
    }

    private async Task PublishAsync(Pending pending, CancellationToken cancellationToken)
    {
        var update = pending.Update;
        var body = JsonSerializer.Serialize(update, AlertJson.Options);
        if (tables.BalanceUpdates is { } queue)
        {
            var timeToLive = options.Value.BalanceUpdateTimeToLive;
            await pipelines.Storage.ExecuteAsync(
                async ct => await queue.SendMessageAsync(body, visibilityTimeout: null, timeToLive: timeToLive, cancellationToken: ct), cancellationToken);
        }

        if (!pending.HasWebhooks)
        {
            return;
        }

        foreach (var subscription in (await subscriptions.ListAsync(update.AccountId, cancellationToken)).Where(s => s.Kind == AlertKinds.BalanceUpdated && s.DisabledAt is null))
        {
            await PostAsync(subscription, update.MessageId, body, cancellationToken);
        }
    }

    // Through the one webhook sender (signing, address policy, retries, delivery log). A post that still fails is not
    // retried here: the next update carries newer figures anyway.
    private async Task PostAsync(AlertSubscription subscription, string messageId, string body, CancellationToken cancellationToken)
    {
        try
        {
            if (await sender.PostAsync(subscription, messageId, AlertKinds.BalanceUpdated, body, cancellationToken) is { } failure)
            {
                LogWebhookFailed(subscription.Id, failure);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogWebhookFailed(subscription.Id, e.GetType().Name);
        }
    }

    private sealed record Pending(BalanceUpdate Update, bool HasWebhooks);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing balance {Sequence} of {AccountId} failed ({Error}); tried again at the next flush")]
    private partial void LogPublishFailed(string accountId, long sequence, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A balance-updated webhook of subscription {SubscriptionId} was not delivered: {Reason}")]
    private partial void LogWebhookFailed(string subscriptionId, string reason);
}

/// <summary>The background loop that flushes <see cref="BalancePublisher"/> a few times per interval, and once more on shutdown.</summary>
public sealed partial class BalancePublishing(BalancePublisher publisher, TimeProvider timeProvider, IOptions<MeteringOptions> options, ILogger<BalancePublishing> logger)
    : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var tick = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(25).Ticks, options.Value.BalanceUpdateInterval.Ticks / 4));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(tick, timeProvider, stoppingToken);
                await publisher.FlushAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogFlushFailed(e.GetType().Name);
            }
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await publisher.FlushAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFlushFailed(e.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A balance flush failed ({Error}); the next one tries again")]
    private partial void LogFlushFailed(string error);
}
