using System.CommandLine;
using UsageProcessor.Host.Commands;

namespace UsageProcessor.Host.Tests;

public sealed class HostCommandLineTests
{
    public static TheoryData<string[], SendArguments> SendForms => new()
    {
        { ["send", "day.jsonl"], new("day.jsonl", null, true) },
        { ["send", "day.jsonl", "--connection", "cs=1;x=2"], new("day.jsonl", "cs=1;x=2", true) },
        { ["send", "--connection=cs=1;x=2", "day.jsonl"], new("day.jsonl", "cs=1;x=2", true) },
        { ["send", "day.jsonl", "--no-shift-to-today"], new("day.jsonl", null, false) },
        { ["send", "day.jsonl", "--shift-to-today"], new("day.jsonl", null, true) },
        { ["send", "--shift-to-today", "day.jsonl"], new("day.jsonl", null, true) },
        { ["send", "day.jsonl", "--shift-to-today=false"], new("day.jsonl", null, false) },
        { ["send", "@day.jsonl"], new("@day.jsonl", null, true) },
    };

    public static TheoryData<string[], ReplayArguments> ReplayForms => new()
    {
        { ["replay", "rejected"], new(ReplaySource.Rejected, null, HostCommandLine.DefaultLimit, null) },
        { ["replay", "rejected", "--id", "r-1", "--limit", "5", "--connection", "cs"], new(ReplaySource.Rejected, "r-1", 5, "cs") },
        { ["replay", "poison"], new(ReplaySource.Poison, null, HostCommandLine.DefaultLimit, null) },
        { ["replay", "poison", "--limit=7", "--connection", "cs"], new(ReplaySource.Poison, null, 7, "cs") },
    };

    [Theory]
    [MemberData(nameof(SendForms))]
    public async Task Parse_SendForms_GiveTheDocumentedArguments(string[] args, SendArguments expected)
    {
        var (send, replay) = await InvokeAsync(args);

        Assert.Equal(expected, send);
        Assert.Null(replay);
    }

    [Theory]
    [MemberData(nameof(ReplayForms))]
    public async Task Parse_ReplayForms_GiveTheDocumentedArguments(string[] args, ReplayArguments expected)
    {
        var (send, replay) = await InvokeAsync(args);

        Assert.Equal(expected, replay);
        Assert.Null(send);
    }

    [Theory]
    [InlineData(new[] { "statements", "export", "--period", "2026-11" }, StatementsAction.Export, ".")]
    [InlineData(new[] { "statements", "export", "--period=2026-11", "--out", "out/dir", "--connection", "cs" }, StatementsAction.Export, "out/dir")]
    [InlineData(new[] { "statements", "verify", "--period", "2026-11", "--connection", "cs" }, StatementsAction.Verify, "")]
    [InlineData(new[] { "statements", "close", "--account", "acct-1", "--period", "2026-11", "--connection", "cs" }, StatementsAction.Close, "")]
    public async Task Parse_StatementsForms_GiveTheDocumentedArguments(string[] args, StatementsAction action, string output)
    {
        StatementsArguments? statements = null;
        var parsed = HostCommandLine.Create((_, _) => Task.FromResult(0), (_, _) => Task.FromResult(0), (a, _) =>
        {
            statements = a;
            return Task.FromResult(0);
        }).Parse(args, HostCommandLine.Parsing);

        Assert.Empty(parsed.Errors);
        Assert.Equal(0, await parsed.InvokeAsync(new InvocationConfiguration(), CancellationToken.None));
        Assert.Equal((action, "2026-11", output), (statements!.Action, statements.Period.ToString(), statements.Out));
        Assert.Equal(args.Contains("cs") ? "cs" : null, statements.Connection);
        Assert.Equal(action == StatementsAction.Close ? "acct-1" : string.Empty, statements.AccountId);
    }

    [Theory]
    [InlineData(new[] { "exports", "backfill", "--from", "2026-11-01", "--to", "2026-11-30" }, ExportsAction.Backfill, "2026-11-01", "2026-11-30")]
    [InlineData(new[] { "exports", "backfill", "--to=2026-11-03", "--from=2026-11-03", "--connection", "cs" }, ExportsAction.Backfill, "2026-11-03", "2026-11-03")]
    [InlineData(new[] { "exports", "backfill", "--from", "2025-09-30", "--to", "2026-11-03" }, ExportsAction.Backfill, "2025-09-30", "2026-11-03")]
    [InlineData(new[] { "exports", "verify", "--day", "2026-02-28", "--connection", "cs" }, ExportsAction.Verify, "2026-02-28", "2026-02-28")]
    public async Task Parse_ExportsForms_GiveTheDocumentedArguments(string[] args, ExportsAction action, string from, string to)
    {
        ExportsArguments? exports = null;
        var parsed = HostCommandLine.Create((_, _) => Task.FromResult(0), (_, _) => Task.FromResult(0), (_, _) => Task.FromResult(0), (a, _) =>
        {
            exports = a;
            return Task.FromResult(0);
        }).Parse(args, HostCommandLine.Parsing);

        Assert.Empty(parsed.Errors);
        Assert.Equal(0, await parsed.InvokeAsync(new InvocationConfiguration(), CancellationToken.None));
        Assert.Equal(new ExportsArguments(action, DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture), args.Contains("cs") ? "cs" : null), exports);
    }

    [Theory]
    [InlineData(new[] { "exports", "verify", "--day", "2026-11" }, "--day must be a UTC day as YYYY-MM-DD, such as 2026-11-03; got '2026-11'.")]
    [InlineData(new[] { "exports", "verify", "--day", "03/11/2026" }, "--day must be a UTC day as YYYY-MM-DD")]
    [InlineData(new[] { "exports", "verify", "--day", "2026-11-03", "--from", "2026-11-03" }, "--from")]
    [InlineData(new[] { "exports", "backfill", "--to", "2026-11-03" }, "--from")]
    [InlineData(new[] { "exports", "backfill", "--from", "2026-11-04", "--to", "2026-11-03" }, "--to must not be before --from; got --from 2026-11-04 --to 2026-11-03.")]
    [InlineData(new[] { "exports", "backfill", "--from", "2025-09-29", "--to", "2026-11-03" }, "--from to --to covers 401 days; one backfill covers at most 400.")]
    public void Parse_BadExportsCommandLine_IsAnErrorNamingTheCause(string[] args, string named)
    {
        var parsed = HostCommandLine.Create((_, _) => Task.FromResult(0), (_, _) => Task.FromResult(0), (_, _) => Task.FromResult(0), (_, _) => Task.FromResult(0))
            .Parse(args, HostCommandLine.Parsing);

        Assert.Contains(parsed.Errors, e => e.Message.Contains(named, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(new[] { "send" }, "file")]
    [InlineData(new[] { "send", "a.jsonl", "b.jsonl" }, "b.jsonl")]
    [InlineData(new[] { "send", "a.jsonl", "--unknown" }, "--unknown")]
    [InlineData(new[] { "send", "a.jsonl", "--connection" }, "--connection")]
    [InlineData(new[] { "replay", "other" }, "other")]
    [InlineData(new[] { "replay", "poison", "--id", "x" }, "--id")]
    [InlineData(new[] { "replay", "rejected", "--limit", "0" }, "--limit must be a whole number from 1; got '0'.")]
    [InlineData(new[] { "replay", "rejected", "--limit", "-3" }, "--limit")]
    [InlineData(new[] { "replay", "rejected", "--limit", "ten" }, "--limit must be a whole number from 1; got 'ten'.")]
    [InlineData(new[] { "replay", "rejected", "--limit", "+5" }, "--limit must be a whole number from 1; got '+5'.")]
    [InlineData(new[] { "statements", "close", "--period", "2026-11" }, "--account")]
    [InlineData(new[] { "statements", "close", "--account", "acct-1" }, "--period")]
    [InlineData(new[] { "sandbox", "clock", "--to", "2027-01-04T00:00:00Z", "--advance-minutes", "5" }, "Give --to or --advance-minutes, not both.")]
    [InlineData(new[] { "sandbox", "clock", "--to", "next month" }, "--to must be an instant such as 2027-01-04T00:00:00Z; got 'next month'.")]
    [InlineData(new[] { "sandbox", "clock", "--advance-minutes", "-5" }, "--advance-minutes must be a number of minutes greater than 0; got '-5'.")]
    [InlineData(new[] { "sandbox", "clock", "--url", "ftp://x" }, "--url must be an http or https address")]
    [InlineData(new[] { "statements", "close", "--account", "a b", "--period", "2026-11" }, "--account ")]
    public void Parse_BadCommandLine_IsAnErrorNamingTheCause(string[] args, string named)
    {
        var parsed = Root().Parse(args, HostCommandLine.Parsing);

        Assert.Contains(parsed.Errors, e => e.Message.Contains(named, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(new[] { "send", "x" }, true)]
    [InlineData(new[] { "replay", "poison" }, true)]
    [InlineData(new[] { "statements", "verify" }, true)]
    [InlineData(new[] { "exports", "verify" }, true)]
    [InlineData(new[] { "sandbox", "clock" }, true)]
    [InlineData(new[] { "help" }, true)]
    [InlineData(new[] { "--help" }, true)]
    [InlineData(new[] { "--urls", "http://127.0.0.1:1" }, false)]
    [InlineData(new string[0], false)]
    public void IsCommand_FirstWord_DecidesBetweenCommandAndHost(string[] args, bool expected)
    {
        Assert.Equal(expected, HostCommands.IsCommand(args));
    }

    [Theory]
    [InlineData(new[] { "sandbox", "clock" }, null, null, "http://127.0.0.1:7071/", null)]
    [InlineData(new[] { "sandbox", "clock", "--to", "2027-01-04T01:00:00+01:00" }, "2027-01-04T00:00:00Z", null, "http://127.0.0.1:7071/", null)]
    [InlineData(new[] { "sandbox", "clock", "--advance-minutes", "1440", "--url", "http://127.0.0.1:8080", "--key", "k" }, null, "1440", "http://127.0.0.1:8080/", "k")]
    public async Task Parse_SandboxClockForms_GiveTheDocumentedArguments(string[] args, string? to, string? minutes, string url, string? key)
    {
        SandboxArguments? sandbox = null;
        var parsed = HostCommandLine.Create(
            (_, _) => Task.FromResult(0), (_, _) => Task.FromResult(0), (_, _) => Task.FromResult(0), (_, _) => Task.FromResult(0),
            (a, _) =>
            {
                sandbox = a;
                return Task.FromResult(0);
            }).Parse(args, HostCommandLine.Parsing);

        Assert.Empty(parsed.Errors);
        Assert.Equal(0, await parsed.InvokeAsync(new InvocationConfiguration(), CancellationToken.None));
        Assert.Equal(to is null ? null : DateTimeOffset.Parse(to, System.Globalization.CultureInfo.InvariantCulture), sandbox!.To);
        Assert.Equal(minutes is null ? null : decimal.Parse(minutes, System.Globalization.CultureInfo.InvariantCulture), sandbox.AdvanceMinutes);
        Assert.Equal((url, key), (sandbox.Url.ToString(), sandbox.Key));
    }

    private static RootCommand Root(Action<SendArguments>? send = null, Action<ReplayArguments>? replay = null) => HostCommandLine.Create(
        (a, _) =>
        {
            send?.Invoke(a);
            return Task.FromResult(0);
        },
        (a, _) =>
        {
            replay?.Invoke(a);
            return Task.FromResult(0);
        });

    private static async Task<(SendArguments? Send, ReplayArguments? Replay)> InvokeAsync(string[] args)
    {
        SendArguments? send = null;
        ReplayArguments? replay = null;
        var parsed = Root(a => send = a, a => replay = a).Parse(args, HostCommandLine.Parsing);
        Assert.Empty(parsed.Errors);
        Assert.Equal(0, await parsed.InvokeAsync(new InvocationConfiguration(), CancellationToken.None));
        return (send, replay);
    }
}
