using System.Collections.Concurrent;

namespace UsageProcessor.Metering.Billing;

/// <summary>Groups concurrent commits of one account within this process into shared ledger transactions.</summary>
/// <remarks>
/// Sixteen messages of one account arriving together would otherwise race for the account row's ETag, and all
/// but one would re-read and retry. Here the first caller becomes the account's committer and takes everyone who
/// queued meanwhile into its next transaction; the others just wait for their result. Other instances still
/// race through ETags, which keeps correctness independent of this optimisation.
/// </remarks>
public sealed class CommitCoalescer(AccountLedger ledger)
{
    private readonly ConcurrentDictionary<string, AccountQueue> _queues = new(StringComparer.Ordinal);

    /// <summary>Commits <paramref name="job"/>, together with whatever else of its account is waiting.</summary>
    public async Task<JobCommitResult> CommitAsync(PricedJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        return (await CommitAllAsync(job.Job.AccountId, [job], cancellationToken))[0];
    }

    /// <summary>Commits <paramref name="jobs"/>, all of account <paramref name="accountId"/>, in as few transactions as they fit.</summary>
    /// <remarks>An envelope's jobs of one account queue together, so they share transactions with each other and with anyone waiting.</remarks>
    /// <returns>Each job's result, in input order.</returns>
    public async Task<IReadOnlyList<JobCommitResult>> CommitAllAsync(string accountId, IReadOnlyList<PricedJob> jobs, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentNullException.ThrowIfNull(jobs);
        var waiters = jobs.Select(j => new Waiter(j)).ToArray();
        var queue = _queues.GetOrAdd(accountId, static _ => new AccountQueue());
        bool lead;
        lock (queue)
        {
            queue.Pending.AddRange(waiters);
            lead = !queue.Committing;
            queue.Committing = true;
        }

        if (lead)
        {
            // A queue batch's messages reach here a few microseconds apart: let those already scheduled queue up behind
            // the leader, so that its first transaction takes them too instead of carrying the leader's job alone.
            await Task.Yield();
            await DrainAsync(accountId, queue, cancellationToken);
        }

        return await Task.WhenAll(waiters.Select(w => w.Result.Task)).WaitAsync(cancellationToken);
    }

    private async Task DrainAsync(string accountId, AccountQueue queue, CancellationToken cancellationToken)
    {
        while (true)
        {
            List<Waiter> batch;
            lock (queue)
            {
                if (queue.Pending.Count == 0)
                {
                    queue.Committing = false;
                    // Forget idle accounts; a caller that still holds this queue simply leads it again.
                    _queues.TryRemove(new KeyValuePair<string, AccountQueue>(accountId, queue));
                    return;
                }

                batch = queue.Pending.Count <= AccountLedger.MaxJobsPerCommit ? [.. queue.Pending] : queue.Pending.GetRange(0, AccountLedger.MaxJobsPerCommit);
                queue.Pending.RemoveRange(0, batch.Count);
            }

            try
            {
                var results = await ledger.CommitAsync(accountId, [.. batch.Select(w => w.Job)], cancellationToken);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Result.TrySetResult(results[i]);
                }
            }
            catch (Exception e)
            {
                // Every job of the failed transaction fails alike: none was committed, all will be redelivered.
                foreach (var waiter in batch)
                {
                    waiter.Result.TrySetException(e);
                }
            }
        }
    }

    private sealed class AccountQueue
    {
        public List<Waiter> Pending { get; } = [];

        public bool Committing { get; set; }
    }

    private sealed class Waiter(PricedJob job)
    {
        public PricedJob Job { get; } = job;

        public TaskCompletionSource<JobCommitResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
