using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UsageProcessor.Metering.Alerts;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Telemetry;
using UsageProcessor.Metering.Webhooks;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Ingestion;

/// <summary>What became of one job message.</summary>
public enum IngestionStatus
{
    /// <summary>The job was billed.</summary>
    Billed,

    /// <summary>The job had been billed already; the delivery was acknowledged without change.</summary>
    Duplicate,

    /// <summary>The message went to the rejected store with its reasons.</summary>
    Rejected,
}

/// <summary>The outcome of one job message.</summary>
public sealed record IngestionResult(IngestionStatus Status, string? JobId, string? AccountId, decimal? Credits = null);

/// <summary>A raw job-completed message as a queue delivered it.</summary>
/// <param name="Body">The message text (already decoded from the queue's encoding).</param>
/// <param name="MessageId">The queue's id of the message; stable across redeliveries.</param>
/// <param name="InsertedAt">When the message entered the queue, if the host says; measures the lag to its commit.</param>
public sealed record JobMessage(string Body, string? MessageId, DateTimeOffset? InsertedAt = null);

/// <summary>Turns raw job-completed messages into ledger commits, or into rejected records; never loses one.</summary>
/// <remarks>
/// A message is acknowledged (the method returns) only after its commit or its rejection record is durable.
/// Transient storage failures surface as exceptions so the queue redelivers the message, and after the host's
/// maximum dequeue count it lands in the poison queue.
/// </remarks>
public sealed partial class JobIngestion(
    JobPricer pricer,
    CommitCoalescer coalescer,
    AlertOutbox outbox,
    RejectedJobStore rejected,
    TimeProvider timeProvider,
    IOptions<MeteringOptions> options,
    MeteringMetrics metrics,
    ILogger<JobIngestion> logger)
{
    /// <summary>Handles one message of the job queue: a single job, or an envelope of many (<see cref="JobEnvelope"/>).</summary>
    /// <remarks>Both hosts' queue triggers call this; it returns once every job it carries is billed or rejected durably.</remarks>
    /// <returns>What became of each job, in the message's order.</returns>
    public async Task<IReadOnlyList<IngestionResult>> HandleQueueMessageAsync(JobMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var envelope = JobEnvelope.Read(message.Body);
        return envelope is not null
            ? await HandleEnvelopeAsync(message, envelope, cancellationToken)
            : [await HandleAsync(message, cancellationToken)];
    }

    /// <summary>Handles one message.</summary>
    /// <remarks>
    /// Hosts call this once per message, concurrently for a queue batch; <see cref="CommitCoalescer"/> groups the
    /// jobs of one account that arrive together into shared ledger transactions.
    /// </remarks>
    public async Task<IngestionResult> HandleAsync(JobMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        JobAlerts? afterCommit = null;
        // The commit and publish spans nest in this one.
        using var span = MeteringTelemetry.ActivitySource.StartActivity("ProcessJobMessage");
        JobEvaluation evaluation;
        using (MeteringTelemetry.ActivitySource.StartActivity("Price"))
        {
            evaluation = pricer.Evaluate(message.Body);
        }

        span?.SetTag(MeteringTelemetry.AccountIdAttribute, evaluation.AccountId ?? evaluation.Job?.Job.AccountId)
            .SetTag(MeteringTelemetry.JobIdAttribute, evaluation.JobId ?? evaluation.Job?.Job.JobId);
        IngestionResult result;
        if (evaluation.Job is { } job)
        {
            job = await pricer.FlagModelAsync(job, cancellationToken);

            JobCommitResult commit;
            var started = timeProvider.GetTimestamp();
            using (MeteringTelemetry.ActivitySource.StartActivity("Commit")?.SetTag(MeteringTelemetry.AccountIdAttribute, job.Job.AccountId))
            {
                commit = await coalescer.CommitAsync(job, cancellationToken);
            }

            metrics.CommitDuration(timeProvider.GetElapsedTime(started));
            result = await SettleAsync(message, job, commit, cancellationToken);
            switch (commit.Status)
            {
                case JobCommitStatus.Billed when commit.RaisedAlerts.Count > 0:
                    afterCommit = new JobAlerts(job.Job.AccountId, job.Job.JobId, commit.RaisedAlerts);
                    break;
                case JobCommitStatus.Duplicate:
                    afterCommit = new JobAlerts(job.Job.AccountId, job.Job.JobId, null);
                    break;
            }
        }
        else
        {
            result = await RejectAsync(message, evaluation.Kind, evaluation.Errors, evaluation.JobId, evaluation.AccountId, cancellationToken);
        }

        span?.SetTag(MeteringTelemetry.OutcomeAttribute, result.Status.ToString().ToLowerInvariant());
        if (span is not null && result.Status == IngestionStatus.Billed && message.InsertedAt is { } inserted)
        {
            span.SetTag(MeteringTelemetry.LagAttribute, (timeProvider.GetUtcNow() - inserted).TotalSeconds);
        }

        // Between the durable commit and the acknowledgement: if this fails, the redelivered message finds its job
        // already billed and publishes what it raised.
        using (afterCommit is not null ? MeteringTelemetry.ActivitySource.StartActivity("PublishAlerts") : null)
        {
            await outbox.PublishAfterCommitAsync(afterCommit, cancellationToken);
        }

        return result;
    }

    // An envelope's valid jobs are billed per account, concurrently across accounts; each invalid one goes to the
    // rejected store alone, under the envelope's message id and its position, so a redelivery overwrites its record.
    // If one account's commit fails, the others' stand: the exception comes after them, and the redelivered envelope
    // finds their jobs billed (duplicates) and bills the rest.
    private async Task<IReadOnlyList<IngestionResult>> HandleEnvelopeAsync(JobMessage message, EnvelopeContents envelope, CancellationToken cancellationToken)
    {
        using var span = MeteringTelemetry.ActivitySource.StartActivity("ProcessJobEnvelope");
        span?.SetTag(MeteringTelemetry.EnvelopeJobsAttribute, envelope.Jobs.Count);
        if (envelope.Errors.Count > 0)
        {
            return [await RejectAsync(message, RejectionKind.Invalid, envelope.Errors, null, null, cancellationToken)];
        }

        var results = new IngestionResult[envelope.Jobs.Count];
        var evaluations = new JobEvaluation[envelope.Jobs.Count];
        using (MeteringTelemetry.ActivitySource.StartActivity("Price"))
        {
            for (var i = 0; i < evaluations.Length; i++)
            {
                evaluations[i] = pricer.Evaluate(envelope.Jobs[i]);
            }
        }

        var rejections = Enumerable.Range(0, evaluations.Length).Where(i => evaluations[i].Job is null).Select(async i =>
        {
            var e = evaluations[i];
            results[i] = await RejectAsync(JobOf(message, envelope, i), e.Kind, e.Errors, e.JobId, e.AccountId, cancellationToken);
        });
        var accounts = Enumerable.Range(0, evaluations.Length).Where(i => evaluations[i].Job is not null)
            .GroupBy(i => evaluations[i].Job!.Job.AccountId, StringComparer.Ordinal)
            .Select(group => CommitAccountAsync(message, envelope, group.Key, [.. group], evaluations, results, cancellationToken))
            .ToList();
        await Task.WhenAll(rejections);
        var failures = new List<Exception>();
        foreach (var account in accounts)
        {
            try
            {
                await account;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failures.Add(e);
            }
        }

        if (failures.Count > 0)
        {
            // Left for redelivery: what was billed stays billed, and is a duplicate next time.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failures[0]);
        }

        return results;
    }

    private async Task CommitAccountAsync(
        JobMessage message, EnvelopeContents envelope, string accountId, int[] positions, JobEvaluation[] evaluations,
        IngestionResult[] results, CancellationToken cancellationToken)
    {
        var jobs = new PricedJob[positions.Length];
        for (var k = 0; k < positions.Length; k++)
        {
            jobs[k] = await pricer.FlagModelAsync(evaluations[positions[k]].Job!, cancellationToken);
        }

        IReadOnlyList<JobCommitResult> commits;
        var started = timeProvider.GetTimestamp();
        using (MeteringTelemetry.ActivitySource.StartActivity("Commit")?.SetTag(MeteringTelemetry.AccountIdAttribute, accountId))
        {
            commits = await coalescer.CommitAllAsync(accountId, jobs, cancellationToken);
        }

        metrics.CommitDuration(timeProvider.GetElapsedTime(started));
        var raised = new List<UsageAlert>();
        var duplicates = false;
        for (var k = 0; k < positions.Length; k++)
        {
            var i = positions[k];
            results[i] = await SettleAsync(JobOf(message, envelope, i), jobs[k], commits[k], cancellationToken);
            raised.AddRange(commits[k].Status == JobCommitStatus.Billed ? commits[k].RaisedAlerts : []);
            duplicates |= commits[k].Status == JobCommitStatus.Duplicate;
        }

        // Once per account: a redelivered envelope's duplicates publish whatever their account left unpublished.
        using (raised.Count > 0 || duplicates ? MeteringTelemetry.ActivitySource.StartActivity("PublishAlerts") : null)
        {
            if (raised.Count > 0)
            {
                await outbox.PublishAfterCommitAsync(new JobAlerts(accountId, jobs[0].Job.JobId, raised), cancellationToken);
            }

            if (duplicates)
            {
                await outbox.PublishAfterCommitAsync(new JobAlerts(accountId, null, null), cancellationToken);
            }
        }
    }

    // One job of an envelope as a message of its own: what the rejected store keeps and a replay sends back.
    private static JobMessage JobOf(JobMessage message, EnvelopeContents envelope, int index) =>
        new(envelope.Jobs[index].GetRawText(), message.MessageId is { } id ? $"{id}-{index}" : null, message.InsertedAt);

    private async Task<IngestionResult> SettleAsync(JobMessage message, PricedJob job, JobCommitResult commit, CancellationToken cancellationToken)
    {
        var jobId = job.Job.JobId;
        var accountId = job.Job.AccountId;
        switch (commit.Status)
        {
            case JobCommitStatus.Billed:
                LogBilled(jobId, accountId, Money.Normalize(job.Quote.Credits), job.Quote.PriceBookId);
                metrics.JobHandled("billed");
                metrics.Billed(job.Quote.Credits, job.Quote.Family, job.Quote.ServiceTier);
                foreach (var alert in commit.RaisedAlerts)
                {
                    metrics.AlertRaised(alert.Kind);
                }

                if (message.InsertedAt is { } inserted)
                {
                    metrics.Lag(timeProvider.GetUtcNow() - inserted);
                }

                return new IngestionResult(IngestionStatus.Billed, jobId, accountId, job.Quote.Credits);

            case JobCommitStatus.Duplicate:
                LogDuplicate(jobId, accountId);
                metrics.JobHandled("duplicate");
                return new IngestionResult(IngestionStatus.Duplicate, jobId, accountId);

            default:
                return await RejectAsync(message, RejectionKind.Conflict,
                    [new FieldError("jobId", $"'{jobId}' was already billed with different content; a job id is billed once.")],
                    jobId, accountId, cancellationToken);
        }
    }

    private async Task<IngestionResult> RejectAsync(
        JobMessage message, RejectionKind kind, IReadOnlyList<FieldError> errors, string? jobId, string? accountId, CancellationToken cancellationToken)
    {
        var record = await rejected.RejectAsync(message.Body, errors, kind, options.Value.JobQueue, message.MessageId, jobId, accountId, cancellationToken);
        LogRejected(record.Id, kind, string.Join(", ", errors.Select(e => e.Field).Distinct()));
        metrics.JobHandled("rejected", kind.ToString().ToLowerInvariant());
        return new IngestionResult(IngestionStatus.Rejected, jobId, accountId);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Billed {JobId} for {AccountId}: {Credits} credits (price book {PriceBook})")]
    private partial void LogBilled(string jobId, string accountId, decimal credits, string priceBook);

    [LoggerMessage(Level = LogLevel.Information, Message = "Acknowledged duplicate {JobId} for {AccountId} without change")]
    private partial void LogDuplicate(string jobId, string accountId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected job message {RejectedId} as {Kind}; fields: {Fields}")]
    private partial void LogRejected(string rejectedId, RejectionKind kind, string fields);

}
