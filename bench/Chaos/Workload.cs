using System.Globalization;
using System.Text.Json;
using UsageProcessor.Pricing;

namespace UsageProcessor.Chaos;

/// <summary>One message to send, with what the ledger must make of it.</summary>
internal sealed record Outgoing(string Body, string? JobId, string AccountId, MessageKind Kind);

internal enum MessageKind
{
    Job,
    Duplicate,
    Malformed,
    Unpriceable,
}

/// <summary>One billable job the run sends, with its exact price from the pure pricing rules.</summary>
internal sealed record SentJob(string JobId, string AccountId, decimal Credits, DateTimeOffset SentAt);

/// <summary>
/// The run's traffic, generated from a seed: jobs for many accounts, a share sent twice or three times (some at once,
/// some a wave later), malformed and unpriceable messages; and the exact expected totals of each account.
/// </summary>
internal sealed class Workload
{
    private static readonly JobUsage[] Shapes =
    [
        new() { Domain = "document.invoice", Detail = "hi", Grounding = true, Pages = 3, ServiceTier = "priority" },
        new() { Domain = "document.invoice", Detail = "lo", Pages = 1 },
        new() { Domain = "document.contract", Pages = 4 },
        new() { Domain = "image.receipt", Detail = "auto", Pages = 2, ServiceTier = "flex" },
        new() { Domain = "audio.call", DurationSeconds = 901.5m },
        new() { Domain = "healthcare.claim", Detail = "hi", Pages = 2 },
        new() { Domain = "video.lecture", DurationSeconds = 240 },
    ];

    private readonly Random _random;
    private readonly PriceBookCatalog _books = PriceBookCatalog.Embedded();
    private readonly List<Outgoing> _later = [];
    private int _next;

    public Workload(int seed, IReadOnlyList<string> accounts)
    {
        _random = new Random(seed);
        Accounts = accounts;
    }

    public IReadOnlyList<string> Accounts { get; }

    public Dictionary<string, SentJob> Jobs { get; } = new(StringComparer.Ordinal);

    public int Duplicates { get; private set; }

    public int Malformed { get; private set; }

    public int Unpriceable { get; private set; }

    /// <summary>The next wave of at most <paramref name="size"/> messages: new jobs, their at-once copies, and copies held back from the last wave.</summary>
    public List<Outgoing> NextWave(int size, double duplicateShare, double badShare, bool last)
    {
        var wave = new List<Outgoing>(_later);
        _later.Clear();
        var now = DateTimeOffset.UtcNow;
        while (wave.Count < size)
        {
            var roll = _random.NextDouble();
            var account = Accounts[_random.Next(Accounts.Count)];
            if (roll < badShare / 2)
            {
                Malformed++;
                wave.Add(new Outgoing(MalformedBody(account), null, account, MessageKind.Malformed));
                continue;
            }

            if (roll < badShare)
            {
                Unpriceable++;
                var id = $"u{_next++:D6}";
                wave.Add(new Outgoing(Body(id, account, new JobUsage { Domain = "hologram.scan", Pages = 1 }, now), id, account, MessageKind.Unpriceable));
                continue;
            }

            var jobId = $"j{_next++:D6}";
            var usage = Shapes[_random.Next(Shapes.Length)];
            var completedAt = now.AddSeconds(-_random.Next(1, 600));
            var quote = _books.For(completedAt).Quote(usage);
            if (!quote.IsSuccess)
            {
                throw new InvalidOperationException($"The workload's job shape {usage} does not price: {string.Join("; ", quote.Errors.Select(e => $"{e.Field}: {e.Reason}"))}");
            }

            var body = Body(jobId, account, usage, completedAt);
            Jobs[jobId] = new SentJob(jobId, account, quote.Quote.Credits, now);
            wave.Add(new Outgoing(body, jobId, account, MessageKind.Job));
            if (_random.NextDouble() < duplicateShare)
            {
                // Two or three more deliveries: at once (side by side in this wave), or a wave later.
                var copies = _random.NextDouble() < 0.25 ? 2 : 1;
                for (var c = 0; c < copies; c++)
                {
                    Duplicates++;
                    var copy = new Outgoing(body, jobId, account, MessageKind.Duplicate);
                    if (!last && _random.NextDouble() < 0.5)
                    {
                        _later.Add(copy);
                    }
                    else
                    {
                        wave.Add(copy);
                    }
                }
            }
        }

        return wave;
    }

    /// <summary>The held-back copies, if the last wave left some.</summary>
    public List<Outgoing> Leftovers()
    {
        var rest = new List<Outgoing>(_later);
        _later.Clear();
        return rest;
    }

    public decimal ExpectedCredits(string account) => Jobs.Values.Where(j => j.AccountId == account).Sum(j => j.Credits);

    public int ExpectedJobs(string account) => Jobs.Values.Count(j => j.AccountId == account);

    private static string Body(string jobId, string account, JobUsage usage, DateTimeOffset completedAt)
    {
        var fields = new Dictionary<string, object?>
        {
            ["jobId"] = jobId,
            ["accountId"] = account,
            ["completedAt"] = completedAt.ToString("yyyy-MM-ddTHH:mm:ss.fffK", CultureInfo.InvariantCulture),
            ["domain"] = usage.Domain,
        };
        if (usage.Detail is not null)
        {
            fields["detail"] = usage.Detail;
        }

        if (usage.Grounding)
        {
            fields["grounding"] = true;
        }

        if (usage.Pages is not null)
        {
            fields["pages"] = usage.Pages;
        }

        if (usage.DurationSeconds is not null)
        {
            fields["durationSeconds"] = usage.DurationSeconds;
        }

        if (usage.ServiceTier is not null)
        {
            fields["serviceTier"] = usage.ServiceTier;
        }

        return JsonSerializer.Serialize(fields);
    }

    private string MalformedBody(string account) => _random.Next(3) switch
    {
        0 => "{\"jobId\": \"broken", // not JSON
        1 => JsonSerializer.Serialize(new { accountId = account, domain = "document.invoice", pages = 1 }), // no jobId, no completedAt
        _ => JsonSerializer.Serialize(new { jobId = $"m{Guid.NewGuid():N}", accountId = account, completedAt = "yesterday", domain = "document.invoice", pages = -2 }),
    };
}
