using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using UsageProcessor.Metering.Ingestion;

namespace UsageProcessor.Host.Commands;

/// <summary>What <c>send &lt;file&gt; [--connection] [--no-shift-to-today]</c> was asked to do.</summary>
/// <param name="File">The JSON Lines file, as typed (relative to the working directory).</param>
/// <param name="Connection">The storage connection string given with <c>--connection</c>, or null for the configured one.</param>
/// <param name="ShiftToToday">Whether every <c>completedAt</c> moves so the file's latest becomes a few minutes ago.</param>
public sealed record SendArguments(string File, string? Connection, bool ShiftToToday);

/// <summary>Which set-aside job messages <c>replay</c> sends back.</summary>
public enum ReplaySource
{
    /// <summary>The rejected-message store (<c>replay rejected</c>).</summary>
    Rejected,

    /// <summary>The job-completed-poison queue (<c>replay poison</c>).</summary>
    Poison,
}

/// <summary>What <c>replay rejected [--id] [--limit] [--connection]</c> or <c>replay poison [--limit] [--connection]</c> was asked to do.</summary>
/// <param name="Source">Rejected store or poison queue.</param>
/// <param name="Id">The one rejected message to replay (<c>replay rejected</c> only), or null for all up to the limit.</param>
/// <param name="Limit">The most messages to replay, from 1.</param>
/// <param name="Connection">The storage connection string given with <c>--connection</c>, or null for the configured one.</param>
public sealed record ReplayArguments(ReplaySource Source, string? Id, int Limit, string? Connection);

/// <summary>What <c>statements export</c> or <c>statements verify</c> does.</summary>
public enum StatementsAction
{
    /// <summary>Writes every closed statement of the period as CSV and JSON Lines.</summary>
    Export,

    /// <summary>Recomputes every closed statement of the period from the usage records and reports differences.</summary>
    Verify,

    /// <summary>Closes one account's statement of the period now that its close instant has passed, as the timer would.</summary>
    Close,
}

/// <summary>What <c>statements export --period YYYY-MM [--out DIR]</c>, <c>statements verify --period YYYY-MM</c> or <c>statements close --account X --period YYYY-MM</c> was asked to do.</summary>
/// <param name="Action">Export, verify or close.</param>
/// <param name="Period">The period, YYYY-MM.</param>
/// <param name="Out">The directory the export writes to (export only).</param>
/// <param name="Connection">The storage connection string given with <c>--connection</c>, or null for the configured one.</param>
public sealed record StatementsArguments(StatementsAction Action, UsageProcessor.Pricing.BillingPeriod Period, string Out, string? Connection)
{
    /// <summary>The account whose statement is closed (close only); empty otherwise.</summary>
    public string AccountId { get; init; } = string.Empty;
}

/// <summary>What <c>exports backfill</c> or <c>exports verify</c> does.</summary>
public enum ExportsAction
{
    /// <summary>Writes the Parquet exports of every finished day in a range that has none yet.</summary>
    Backfill,

    /// <summary>Recounts one day's Parquet files against their manifest and the ledger.</summary>
    Verify,
}

/// <summary>What <c>exports backfill --from YYYY-MM-DD --to YYYY-MM-DD</c> or <c>exports verify --day YYYY-MM-DD</c> was asked to do.</summary>
/// <param name="Action">Backfill or verify.</param>
/// <param name="From">The first UTC day (verify: the day).</param>
/// <param name="To">The last UTC day, inclusive (verify: the day).</param>
/// <param name="Connection">The storage connection string given with <c>--connection</c>, or null for the configured one.</param>
public sealed record ExportsArguments(ExportsAction Action, DateOnly From, DateOnly To, string? Connection);

/// <summary>What <c>sandbox clock [--to INSTANT | --advance-minutes N] [--url] [--key]</c> was asked to do.</summary>
/// <param name="To">The instant to set the clock to, or null.</param>
/// <param name="AdvanceMinutes">How many minutes to move the clock forward, or null; with neither, the clock is read.</param>
/// <param name="Url">The running self-host's base address, which holds the clock.</param>
/// <param name="Key">The function key, or null for the first of the configured <c>SelfHost:FunctionKeys</c>.</param>
public sealed record SandboxArguments(DateTimeOffset? To, decimal? AdvanceMinutes, Uri Url, string? Key);

/// <summary>The grammar of the operator commands, in System.CommandLine; the actions are supplied by the caller.</summary>
public static class HostCommandLine
{
    /// <summary>How many messages one replay run sends back when no <c>--limit</c> is given.</summary>
    public const int DefaultLimit = 1000;

    /// <summary>How the commands are parsed: no <c>@file</c> response files, so a path that starts with @ stays a path.</summary>
    public static ParserConfiguration Parsing { get; } = new() { ResponseFileTokenReplacer = null };

    /// <summary>The root command with <c>send</c> and <c>replay rejected|poison</c>, running <paramref name="send"/> and <paramref name="replay"/>.</summary>
    public static RootCommand Create(
        Func<SendArguments, CancellationToken, Task<int>> send, Func<ReplayArguments, CancellationToken, Task<int>> replay) =>
        Create(send, replay, (_, _) => Task.FromResult(1));

    /// <summary>The root command with <c>send</c>, <c>replay rejected|poison</c> and <c>statements export|verify</c>.</summary>
    public static RootCommand Create(
        Func<SendArguments, CancellationToken, Task<int>> send,
        Func<ReplayArguments, CancellationToken, Task<int>> replay,
        Func<StatementsArguments, CancellationToken, Task<int>> statements) =>
        Create(send, replay, statements, (_, _) => Task.FromResult(1));

    /// <summary>The most days one <c>exports backfill</c> covers: a mistyped year is refused rather than scanned.</summary>
    public const int MaxBackfillDays = 400;

    /// <summary>The root command with <c>send</c>, <c>replay rejected|poison</c>, <c>statements export|verify|close</c> and <c>exports backfill|verify</c>.</summary>
    public static RootCommand Create(
        Func<SendArguments, CancellationToken, Task<int>> send,
        Func<ReplayArguments, CancellationToken, Task<int>> replay,
        Func<StatementsArguments, CancellationToken, Task<int>> statements,
        Func<ExportsArguments, CancellationToken, Task<int>> exports) =>
        Create(send, replay, statements, exports, (_, _) => Task.FromResult(1));

    /// <summary>The self-host's address when <c>--url</c> is not given.</summary>
    public static readonly Uri DefaultUrl = new("http://127.0.0.1:7071/");

    /// <summary>The root command with every command: <c>send</c>, <c>replay</c>, <c>statements</c>, <c>exports</c> and <c>sandbox clock</c>.</summary>
    public static RootCommand Create(
        Func<SendArguments, CancellationToken, Task<int>> send,
        Func<ReplayArguments, CancellationToken, Task<int>> replay,
        Func<StatementsArguments, CancellationToken, Task<int>> statements,
        Func<ExportsArguments, CancellationToken, Task<int>> exports,
        Func<SandboxArguments, CancellationToken, Task<int>> sandbox)
    {
        ArgumentNullException.ThrowIfNull(send);
        ArgumentNullException.ThrowIfNull(replay);
        ArgumentNullException.ThrowIfNull(statements);
        ArgumentNullException.ThrowIfNull(exports);
        ArgumentNullException.ThrowIfNull(sandbox);
        var root = new RootCommand("""
            Operator commands of the self-host; each runs and exits. Without a command,
            `dotnet run --project src/Host` starts the self-host (http://127.0.0.1:7071).
            Storage: --connection, else the AzureWebJobsStorage setting (environment or appsettings.json;
            the default is the local emulator, UseDevelopmentStorage=true).
            """);
        root.Add(SendCommandLine(send));
        root.Add(new Command("replay", "Sends set-aside job messages back to job-completed; billed jobs are recognised as duplicates.")
        {
            ReplayCommandLine(ReplaySource.Rejected, replay),
            ReplayCommandLine(ReplaySource.Poison, replay),
        });
        root.Add(new Command("statements", "Exports or verifies the closed statements of a period, or closes one account's period on demand.")
        {
            StatementsCommandLine(StatementsAction.Export, statements),
            StatementsCommandLine(StatementsAction.Verify, statements),
            StatementsCommandLine(StatementsAction.Close, statements),
        });
        root.Add(new Command("exports", "Writes or verifies the daily Parquet exports in the exports blob container (docs/exports.md).")
        {
            ExportsBackfillCommandLine(exports),
            ExportsVerifyCommandLine(exports),
        });
        root.Add(new Command("sandbox", "Moves the clock of a self-host running in sandbox mode (Sandbox__Enabled=true; docs/operations.md).")
        {
            SandboxClockCommandLine(sandbox),
        });
        return root;
    }

    private static Command SandboxClockCommandLine(Func<SandboxArguments, CancellationToken, Task<int>> sandbox)
    {
        var to = new Option<DateTimeOffset?>("--to")
        {
            Description = "Set the clock to this instant (ISO 8601 with an offset, such as 2027-01-04T00:00:00Z); it only moves forward.",
            HelpName = "instant",
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
                if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
                {
                    return instant;
                }

                result.AddError($"--to must be an instant such as 2027-01-04T00:00:00Z; got '{text}'.");
                return null;
            },
        };
        var advance = new Option<decimal?>("--advance-minutes")
        {
            Description = "Move the clock forward by this many minutes (1440 is a day).",
            HelpName = "N",
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
                if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var minutes) && minutes > 0)
                {
                    return minutes;
                }

                result.AddError($"--advance-minutes must be a number of minutes greater than 0; got '{text}'.");
                return null;
            },
        };
        var url = new Option<Uri>("--url")
        {
            Description = "The running self-host's address.",
            HelpName = "url",
            DefaultValueFactory = _ => DefaultUrl,
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
                if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
                {
                    return uri;
                }

                result.AddError($"--url must be an http or https address such as http://127.0.0.1:7071; got '{text}'.");
                return DefaultUrl;
            },
        };
        var key = new Option<string?>("--key") { Description = "The function key; else the first of SelfHost:FunctionKeys (dev-key in appsettings.json).", HelpName = "key" };
        var clock = new Command("clock", "Reads the sandbox clock, or sets it (--to) or advances it (--advance-minutes) and runs every timer at the new time.")
        {
            to, advance, url, key,
        };
        clock.Validators.Add(result =>
        {
            if (result.GetResult(to) is not null && result.GetResult(advance) is not null)
            {
                result.AddError("Give --to or --advance-minutes, not both.");
            }
        });
        clock.SetAction((parsed, cancellationToken) => sandbox(
            new SandboxArguments(parsed.GetValue(to), parsed.GetValue(advance), parsed.GetValue(url) ?? DefaultUrl, parsed.GetValue(key)), cancellationToken));
        return clock;
    }

    private static Command ExportsBackfillCommandLine(Func<ExportsArguments, CancellationToken, Task<int>> exports)
    {
        var from = DayOption("--from", "The first UTC day to export.");
        var to = DayOption("--to", "The last UTC day to export (inclusive); it must be finished (see Exports:ExportAfter).");
        var connection = ConnectionOption();
        var backfill = new Command("backfill", "Exports usage and activity of every day from --from to --to that has no manifest yet; days already exported are left as they are.")
        {
            from, to, connection,
        };
        backfill.Validators.Add(result =>
        {
            // Only once both days parse: their own errors say what is wrong with them.
            if (TryParseDay(result.GetResult(from)?.Tokens) is { } first && TryParseDay(result.GetResult(to)?.Tokens) is { } last)
            {
                if (last < first)
                {
                    result.AddError($"--to must not be before --from; got --from {first:yyyy-MM-dd} --to {last:yyyy-MM-dd}.");
                }
                else if (last.DayNumber - first.DayNumber + 1 > MaxBackfillDays)
                {
                    result.AddError($"--from to --to covers {last.DayNumber - first.DayNumber + 1} days; one backfill covers at most {MaxBackfillDays}.");
                }
            }
        });
        backfill.SetAction((parsed, cancellationToken) => exports(
            new ExportsArguments(ExportsAction.Backfill, parsed.GetValue(from), parsed.GetValue(to), parsed.GetValue(connection)), cancellationToken));
        return backfill;
    }

    private static Command ExportsVerifyCommandLine(Func<ExportsArguments, CancellationToken, Task<int>> exports)
    {
        var day = DayOption("--day", "The UTC day whose usage and activity files are recounted.");
        var connection = ConnectionOption();
        var verify = new Command("verify", "Recounts a day's exported rows and credits per account against the manifest and the ledger; exit code 1 if any differs.")
        {
            day, connection,
        };
        verify.SetAction((parsed, cancellationToken) =>
        {
            var d = parsed.GetValue(day);
            return exports(new ExportsArguments(ExportsAction.Verify, d, d, parsed.GetValue(connection)), cancellationToken);
        });
        return verify;
    }

    private static DateOnly? TryParseDay(IReadOnlyList<Token>? tokens) =>
        tokens is [var token] && DateOnly.TryParseExact(token.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : null;

    private static Option<DateOnly> DayOption(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "YYYY-MM-DD",
        Required = true,
        CustomParser = result =>
        {
            if (TryParseDay(result.Tokens) is { } day)
            {
                return day;
            }

            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            result.AddError($"{name} must be a UTC day as YYYY-MM-DD, such as 2026-11-03; got '{text}'.");
            return default;
        },
    };

    private static Command StatementsCommandLine(StatementsAction action, Func<StatementsArguments, CancellationToken, Task<int>> statements)
    {
        var period = new Option<UsageProcessor.Pricing.BillingPeriod>("--period")
        {
            Description = "The billing month, YYYY-MM.",
            HelpName = "YYYY-MM",
            Required = true,
            CustomParser = ParsePeriod,
        };
        var connection = ConnectionOption();
        if (action == StatementsAction.Close)
        {
            var account = new Option<string>("--account")
            {
                Description = "The account whose statement is closed.",
                HelpName = "accountId",
                Required = true,
            };
            account.Validators.Add(result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
                if (UsageProcessor.Metering.Partition.Identifiers.CheckAccountId(text) is { } reason)
                {
                    result.AddError($"--account {reason} Got '{text}'.");
                }
            });
            var close = new Command("close", "Closes the account's statement of the period now that its close instant (month end + Metering:StatementCloseGrace) has passed, as the timer would, and sends its invoice-ready event; safe to repeat.")
            {
                account, period, connection,
            };
            close.SetAction((parsed, cancellationToken) => statements(
                new StatementsArguments(action, parsed.GetValue(period), string.Empty, parsed.GetValue(connection)) { AccountId = parsed.GetRequiredValue(account) },
                cancellationToken));
            return close;
        }

        if (action == StatementsAction.Verify)
        {
            var verify = new Command("verify", "Recomputes each closed statement of the period from the usage records; exit code 1 if any differs.") { period, connection };
            verify.SetAction((parsed, cancellationToken) => statements(
                new StatementsArguments(action, parsed.GetValue(period), string.Empty, parsed.GetValue(connection)), cancellationToken));
            return verify;
        }

        var output = new Option<string>("--out")
        {
            Description = "The directory to write statements-YYYY-MM.csv and statements-YYYY-MM.jsonl to.",
            HelpName = "dir",
            DefaultValueFactory = _ => ".",
        };
        var export = new Command("export", "Writes every closed statement of the period as CSV and JSON Lines, one row per statement line.")
        {
            period, output, connection,
        };
        export.SetAction((parsed, cancellationToken) => statements(
            new StatementsArguments(action, parsed.GetValue(period), parsed.GetValue(output) ?? ".", parsed.GetValue(connection)), cancellationToken));
        return export;
    }

    private static UsageProcessor.Pricing.BillingPeriod ParsePeriod(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (UsageProcessor.Pricing.BillingPeriod.TryParse(text, out var period))
        {
            return period;
        }

        result.AddError($"--period must be a month as YYYY-MM, such as 2026-11; got '{text}'.");
        return default;
    }

    private static Command SendCommandLine(Func<SendArguments, CancellationToken, Task<int>> send)
    {
        var file = new Argument<string>("file")
        {
            Description = "A JSON Lines file: one job-completed message per non-blank line.",
            HelpName = "file.jsonl",
        };
        var connection = ConnectionOption();
        var shift = new Option<bool>("--shift-to-today")
        {
            Description = "Move every completedAt by one offset so the file's latest becomes 3 minutes ago.",
            DefaultValueFactory = _ => true,
        };
        var noShift = new Option<bool>("--no-shift-to-today") { Description = "Send completedAt as written in the file." };
        var command = new Command("send", "Sends one job-completed message per non-blank line of a JSON Lines file.") { file, connection, shift, noShift };
        command.SetAction((parsed, cancellationToken) => send(
            new SendArguments(parsed.GetRequiredValue(file), parsed.GetValue(connection), parsed.GetValue(shift) && !parsed.GetValue(noShift)),
            cancellationToken));
        return command;
    }

    private static Command ReplayCommandLine(ReplaySource source, Func<ReplayArguments, CancellationToken, Task<int>> replay)
    {
        var limit = new Option<int>("--limit")
        {
            Description = "The most messages to replay in this run.",
            HelpName = "N",
            DefaultValueFactory = _ => DefaultLimit,
            CustomParser = ParsePositive,
        };
        var connection = ConnectionOption();
        if (source == ReplaySource.Poison)
        {
            var poison = new Command("poison", "Moves messages from job-completed-poison back to job-completed.") { limit, connection };
            poison.SetAction((parsed, cancellationToken) => replay(
                new ReplayArguments(source, null, parsed.GetValue(limit), parsed.GetValue(connection)), cancellationToken));
            return poison;
        }

        var id = new Option<string?>("--id") { Description = "Replay only the rejected message with this id.", HelpName = "id" };
        id.Validators.Add(result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (!RejectedJobStore.IsRecordId(text))
            {
                result.AddError($"--id must be a rejected message's id (letters, digits, '-', '_' and '.', at most 256 characters); got '{text}'.");
            }
        });
        var rejected = new Command("rejected", "Sends rejected messages (all up to the limit, or the one with --id) back to job-completed.")
        {
            id, limit, connection,
        };
        rejected.SetAction((parsed, cancellationToken) => replay(
            new ReplayArguments(source, parsed.GetValue(id), parsed.GetValue(limit), parsed.GetValue(connection)), cancellationToken));
        return rejected;
    }

    private static Option<string?> ConnectionOption() => new("--connection")
    {
        Description = "The storage connection string; else the AzureWebJobsStorage setting.",
        HelpName = "cs",
    };

    // A whole number from 1, digits only ("+5", "5.0" and "1e3" are refused), with the reason in the error.
    private static int ParsePositive(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1)
        {
            return value;
        }

        result.AddError($"--limit must be a whole number from 1; got '{text}'.");
        return 0;
    }
}
