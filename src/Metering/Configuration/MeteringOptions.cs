using System.ComponentModel.DataAnnotations;

namespace UsageProcessor.Metering.Configuration;

/// <summary>Settings of the metering core, bound from the <c>Metering</c> section.</summary>
public sealed class MeteringOptions
{
    /// <summary>The grace after a month ends before its statements close, unless configured.</summary>
    public static readonly TimeSpan DefaultStatementCloseGrace = TimeSpan.FromDays(3);

    private const string TableNamePattern = "^[A-Za-z][A-Za-z0-9]{2,62}$";
    private const string QueueNamePattern = "^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$";

    /// <summary>The table holding every account's partition: state, balances, usage, alerts.</summary>
    [Required, RegularExpression(TableNamePattern)]
    public string LedgerTable { get; set; } = "ledger";

    /// <summary>The table holding rejected job messages with their reasons.</summary>
    [Required, RegularExpression(TableNamePattern)]
    public string RejectedTable { get; set; } = "rejected";

    /// <summary>The table naming accounts whose raised alerts may still await publishing.</summary>
    [Required, RegularExpression(TableNamePattern)]
    public string OutboxTable { get; set; } = "outbox";

    /// <summary>The queue raised alerts are published to; the triggers listen on <see cref="MeteringNames.AlertQueue"/>, so only tests change it.</summary>
    [Required, RegularExpression(QueueNamePattern)]
    public string AlertQueue { get; set; } = MeteringNames.AlertQueue;

    /// <summary>The queue holding job messages; the triggers listen on <see cref="MeteringNames.JobQueue"/>, so only tests change it.</summary>
    [Required, RegularExpression(QueueNamePattern)]
    public string JobQueue { get; set; } = MeteringNames.JobQueue;

    /// <summary>A folder of operator price books (<c>*.json</c>), each in effect from its own instant beside the embedded book; empty for the embedded book alone.</summary>
    /// <remarks>Read at start-up: a book added to the folder is picked up on restart, and a bad or overlapping book stops the start.</remarks>
    public string? PriceBooksPath { get; set; }

    /// <summary>An operator's plans JSON file to use instead of the embedded one; empty for the embedded plans.</summary>
    public string? PlansPath { get; set; }

    /// <summary>Allows http webhooks on loopback addresses, for local development only.</summary>
    public bool AllowLoopbackWebhooks { get; set; }

    /// <summary>How old an unpublished alert must be before the sweeper publishes it.</summary>
    [Range(1, 1440)]
    public int OutboxSweepMinutes { get; set; } = 5;

    /// <summary>How far in the past a job may have completed and still be billed.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "366.00:00:00")]
    public TimeSpan MaxJobAge { get; set; } = TimeSpan.FromDays(35);

    /// <summary>How long after a month ends its statements close; a job of the month billed later goes on a later statement.</summary>
    /// <remarks>At least an hour, so no host's clock can still be in the month when it closes; at most the 35-day late window.</remarks>
    [Range(typeof(TimeSpan), "01:00:00", "35.00:00:00")]
    public TimeSpan StatementCloseGrace { get; set; } = DefaultStatementCloseGrace;

    /// <summary>The queue an <c>invoice-ready</c> event goes to for each closed statement; only tests change it.</summary>
    [Required, RegularExpression(QueueNamePattern)]
    public string InvoiceReadyQueue { get; set; } = MeteringNames.InvoiceReadyQueue;

    /// <summary>How far in the future a job's completion time may lie (clock skew).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Attempts at any write to an account (a commit, a grant, an admission) that loses ETag races, before it gives up: a message is left for redelivery, a request answers 503.</summary>
    [Range(1, 1000)]
    public int MaxCommitAttempts { get; set; } = 60;

    /// <summary>Accounts whose last-known ledger rows and ETags this process keeps, so a commit needs no reads; 0 turns the cache off.</summary>
    /// <remarks>Each entry holds an account row, at most a few period rows and minute counts: about 2-4 KiB.</remarks>
    [Range(0, 1_000_000)]
    public int LedgerCacheAccounts { get; set; } = 10_000;

    /// <summary>How long credits reserved by an admission stay set aside when no job-completed message settles them.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ReservationTtl { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long admission answers an unlimited account without a limit, cap or reservation from memory before reading its row again (a plan change elsewhere shows after at most this).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan UnlimitedAdmissionRecheck { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often at most each account's running balance is published after commits (coalesced: the latest figures win).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan BalanceUpdateInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The queue running balances are published to; none when empty (then only to balance-updated webhooks).</summary>
    /// <remarks>
    /// Off by default: a queue that nobody reads only grows (and slows every request of an emulator). Set it to
    /// <see cref="MeteringNames.BalanceQueue"/> (or any name) where a consumer reads it.
    /// </remarks>
    [RegularExpression(QueueNamePattern)]
    public string? BalanceQueue { get; set; }

    /// <summary>How long a balance update waits on its queue before it expires: it is a hint, superseded by the next.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan BalanceUpdateTimeToLive { get; set; } = TimeSpan.FromHours(1);
}
