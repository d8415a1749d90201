using Microsoft.Extensions.Options;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Models;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Ingestion;

/// <summary>What a message body turned out to be: a priced job, or the reasons it is rejected, with the ids that were readable.</summary>
public sealed record JobEvaluation(PricedJob? Job, RejectionKind Kind, IReadOnlyList<FieldError> Errors, string? JobId, string? AccountId);

/// <summary>Turns a job-completed message body into a priced job: the contract's checks, the age window, the price book of its instant, and whether its custom model is registered.</summary>
public sealed class JobPricer(
    PriceBookCatalog priceBooks,
    CustomModelRegistry models,
    TimeProvider timeProvider,
    IOptions<MeteringOptions> options)
{
    /// <summary>Parses, checks and prices one message body; every problem found goes in one list.</summary>
    public JobEvaluation Evaluate(string body) => Evaluate(JobMessageParser.ParseJob(body));

    /// <summary>Checks and prices one job given as an already parsed JSON element (an event of an HTTP batch).</summary>
    public JobEvaluation Evaluate(System.Text.Json.JsonElement job) => Evaluate(JobMessageParser.ParseJob(job));

    private JobEvaluation Evaluate(ParseResult<JobCompleted> parsed)
    {
        var errors = new List<FieldError>(parsed.Errors);
        var now = timeProvider.GetUtcNow();
        var o = options.Value;
        if (parsed.CompletedAt is { } completedAt)
        {
            if (completedAt < now - o.MaxJobAge)
            {
                errors.Add(new FieldError("completedAt", $"is more than {o.MaxJobAge.TotalDays:0.##} days in the past; such late jobs are not billed."));
            }
            else if (completedAt > now + o.MaxClockSkew)
            {
                errors.Add(new FieldError("completedAt", $"is more than {o.MaxClockSkew.TotalMinutes:0.##} minutes in the future."));
            }
        }

        // Every problem in one record: the envelope's, the usage fields' and pricing's, and the ids that were readable.
        if (parsed.Usage is not { } usage)
        {
            return new JobEvaluation(null, RejectionKind.Invalid, errors, parsed.JobId, parsed.AccountId);
        }

        var book = parsed.CompletedAt is { } at ? priceBooks.For(at) : priceBooks.Current;
        var (quote, problems, unpriceable) = UsageQuoting.Quote(book, usage, []);
        var usageNamed = parsed.Errors.Select(e => e.Field).ToHashSet(StringComparer.Ordinal);
        errors.AddRange(problems.Where(e => !usageNamed.Contains(e.Field)));
        if (errors.Count > 0)
        {
            var kind = unpriceable && errors.Count == problems.Count ? RejectionKind.Unpriceable : RejectionKind.Invalid;
            return new JobEvaluation(null, kind, errors, parsed.JobId, parsed.AccountId);
        }

        return new JobEvaluation(new PricedJob(parsed.Value!, quote!.Value), RejectionKind.Invalid, [], parsed.JobId, parsed.AccountId);
    }

    /// <summary>Flags whether the custom model a job names is registered to its account.</summary>
    /// <remarks>A job naming a custom model is billed whatever the answer; the answer only flags it.</remarks>
    public async Task<PricedJob> FlagModelAsync(PricedJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.Job.Usage.ModelId is { } modelId
            ? job with { ModelRegistered = await models.GetAsync(job.Job.AccountId, modelId, cancellationToken) is not null }
            : job;
    }
}
