using System.CommandLine;
using Azure;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Host.Commands;

/// <summary>The operator commands of the self-host binary; each runs and exits instead of starting the host.</summary>
public static class HostCommands
{
    private static readonly string[] Verbs = ["send", "replay", "statements", "exports", "sandbox", "help", "--help", "-h", "-?"];

    /// <summary>Whether <paramref name="args"/> name a command rather than host options.</summary>
    public static bool IsCommand(string[] args) => args is [var first, ..] && Verbs.Contains(first, StringComparer.Ordinal);

    /// <summary>Runs the command on the console; returns the process exit code (0 success, 1 failure, 2 bad command line).</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        return await RunAsync(args, Console.Out, Console.Error, cancel.Token);
    }

    /// <summary>Runs the command, writing to <paramref name="output"/> and <paramref name="error"/>.</summary>
    internal static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var root = HostCommandLine.Create(
            (send, ct) => SendCommand.RunAsync(send, output, error, ct),
            (replay, ct) => ReplayCommand.RunAsync(replay, output, ct),
            (statements, ct) => StatementsCommand.RunAsync(statements, output, ct),
            (exports, ct) => ExportsCommand.RunAsync(exports, output, ct),
            (sandbox, ct) => SandboxCommand.RunAsync(sandbox, output, ct));
        var parsed = root.Parse(args is ["help", .. var rest] ? [.. rest, "--help"] : args, HostCommandLine.Parsing);
        var invocation = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            // Exceptions and Ctrl-C are answered below, with this tool's exit codes and wording.
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };

        try
        {
            var exitCode = await parsed.InvokeAsync(invocation, cancellationToken);
            // The library's parse-error action prints the errors and the command's help, and answers 1.
            return parsed.Errors.Count > 0 ? 2 : exitCode;
        }
        catch (CommandException e)
        {
            await error.WriteLineAsync(e.Message);
            return e.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("Cancelled.");
            return 1;
        }
        catch (Exception e) when (StoragePipelines.IsTransient(e) || e is RequestFailedException or InvalidOperationException)
        {
            // Storage that does not answer, or is not configured: say so without a stack trace.
            await error.WriteLineAsync($"Storage could not be used: {FirstLine(e.Message)}");
            await error.WriteLineAsync("Is Azurite running (./run.sh)? Pass --connection, or set AzureWebJobsStorage, for another account.");
            return 1;
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
