using UsageProcessor.Host.Commands;
using UsageProcessor.Host.Tests.Infrastructure;

namespace UsageProcessor.Host.Tests;

/// <summary>The operator commands run in-process as README.md and docs write them, against a real Azurite.</summary>
public sealed class HostCommandsTests(DedicatedAzurite azurite) : IClassFixture<DedicatedAzurite>
{
    [Theory]
    [InlineData(new[] { "--help" }, new[] { "send", "replay" })]
    [InlineData(new[] { "help" }, new[] { "send", "replay" })]
    [InlineData(new[] { "send", "--help" }, new[] { "file.jsonl", "--connection", "--shift-to-today", "--no-shift-to-today" })]
    [InlineData(new[] { "replay", "rejected", "--help" }, new[] { "--id", "--limit", "--connection" })]
    [InlineData(new[] { "replay", "poison", "--help" }, new[] { "--limit", "--connection" })]
    public async Task RunAsync_Help_NamesEveryDocumentedCommandAndOption(string[] args, string[] named)
    {
        var (exitCode, output, _) = await RunAsync(args);

        Assert.Equal(0, exitCode);
        Assert.All(named, word => Assert.Contains(word, output, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_BadCommandLine_Exits2WithTheReason()
    {
        var (exitCode, _, error) = await RunAsync(["replay", "rejected", "--limit", "0"]);

        Assert.Equal(2, exitCode);
        Assert.Contains("--limit must be a whole number from 1; got '0'.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MissingFile_Exits2NamingIt()
    {
        var (exitCode, _, error) = await RunAsync(["send", "no-such-file.jsonl", "--connection", azurite.ConnectionString]);

        Assert.Equal(2, exitCode);
        Assert.Contains("No such file: no-such-file.jsonl", error, StringComparison.Ordinal);
    }

    public static TheoryData<string[], string> OperatorMistakes => new()
    {
        // A key storage refuses ('/', '#', '?') used to come back as "Storage could not be used ... Is Azurite running?".
        { ["replay", "rejected", "--id", "a/b"], "--id must be a rejected message's id (letters, digits, '-', '_' and '.', at most 256 characters); got 'a/b'." },
        { ["replay", "rejected", "--id", "a#b?"], "--id must be a rejected message's id" },
        { ["statements", "export", "--period", "2026-11", "--out", Repository.SampleDay], $"--out must be a directory; {Repository.SampleDay} is a file." },
        { ["send", Path.GetTempPath()], "is a directory; send takes a JSON Lines file." },
        { ["replay", "poison", "--connection", "not-a-connection-string"], "--connection is not a storage connection string" },
        { ["statements", "verify", "--period", "2026-11", "--connection", "AccountName=x;Nonsense"], "--connection is not a storage connection string" },
    };

    [Theory]
    [MemberData(nameof(OperatorMistakes))]
    public async Task RunAsync_OperatorMistake_Exits2SayingWhatIsWrongNotStorage(string[] args, string named)
    {
        var (exitCode, _, error) = await RunAsync(args);

        Assert.Equal(2, exitCode);
        Assert.Contains(named, error, StringComparison.Ordinal);
        Assert.DoesNotContain("Storage could not be used", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ExportToADirectoryThatCannotBeMade_Exits1NamingTheDiskNotStorage()
    {
        // A path under a file cannot be a directory: the disk refuses, storage was fine.
        var under = Path.Combine(Repository.SampleDay, "export");

        var (exitCode, _, error) = await RunAsync(["statements", "export", "--period", "2026-11", "--out", under, "--connection", azurite.ConnectionString]);

        Assert.Equal(1, exitCode);
        Assert.Contains($"Could not write the export to {under}", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Storage could not be used", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_DocumentedCommands_SendAndReplayAgainstStorage()
    {
        var cs = azurite.ConnectionString;

        var sent = await RunAsync(["send", Repository.SampleDay, "--connection", cs]);
        var unshifted = await RunAsync(["send", Repository.SampleDay, "--no-shift-to-today", "--connection", cs]);
        var rejected = await RunAsync(["replay", "rejected", "--limit", "5", "--connection", cs]);
        var one = await RunAsync(["replay", "rejected", "--id", "no-such-id", "--connection", cs]);
        var poison = await RunAsync(["replay", "poison", "--limit", "5", "--connection", cs]);

        Assert.Equal(0, sent.ExitCode);
        Assert.StartsWith($"Sent {SampleDay.Lines} of {SampleDay.Lines} messages to 'job-completed', 0 failed, in ", sent.Output, StringComparison.Ordinal);
        Assert.Contains("completedAt shifted by", sent.Output, StringComparison.Ordinal);
        Assert.Equal(0, unshifted.ExitCode);
        Assert.DoesNotContain("shifted", unshifted.Output, StringComparison.Ordinal);
        Assert.Equal((0, "Sent 0 rejected message(s) back to job-completed."), (rejected.ExitCode, rejected.Output.Trim()));
        Assert.Equal((1, "No rejected message has the id 'no-such-id'."), (one.ExitCode, one.Output.Trim()));
        Assert.Equal((0, "Moved 0 message(s) from job-completed-poison back to job-completed."), (poison.ExitCode, poison.Output.Trim()));
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await HostCommands.RunAsync(args, output, error, CancellationToken.None);
        return (exitCode, output.ToString(), error.ToString());
    }
}
