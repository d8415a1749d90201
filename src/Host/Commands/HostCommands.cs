using Azure;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Host.Commands;

/// <summary>The operator commands of the self-host binary; each runs and exits instead of starting the host.</summary>
public static class HostCommands
{
    /// <summary>The usage text.</summary>
    public const string Usage = """
        Usage:
          dotnet run --project src/Host                      start the self-host (http://127.0.0.1:7071)
          dotnet run --project src/Host -- send <file.jsonl> [--connection <cs>] [--no-shift-to-today]
              Sends one job-completed message per non-blank line. By default (--shift-to-today) every
              completedAt moves by one offset so the file's latest becomes 3 minutes ago.
          dotnet run --project src/Host -- replay rejected [--id <id>] [--limit N] [--connection <cs>]
              Sends rejected messages (all, up to N, default 1000; or the one with <id>) back to job-completed.
          dotnet run --project src/Host -- replay poison [--limit N] [--connection <cs>]
              Moves up to N (default 1000) messages from job-completed-poison back to job-completed.

        Storage: --connection, else the AzureWebJobsStorage setting (environment or appsettings.json;
        the default is the local emulator, UseDevelopmentStorage=true).
        """;

    private static readonly string[] Verbs = ["send", "replay", "help", "--help", "-h"];

    /// <summary>Whether <paramref name="args"/> name a command rather than host options.</summary>
    public static bool IsCommand(string[] args) => args is [var first, ..] && Verbs.Contains(first, StringComparer.Ordinal);

    /// <summary>Runs the command; returns the process exit code (0 success, 1 failure, 2 bad command line).</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        try
        {
            return args[0] switch
            {
                "send" => await SendCommand.RunAsync(args[1..], Console.Out, Console.Error, cancel.Token),
                "replay" => await ReplayCommand.RunAsync(args[1..], Console.Out, cancel.Token),
                _ => Help(Console.Out, 0),
            };
        }
        catch (CommandLineException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return Help(Console.Error, 2);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("Cancelled.");
            return 1;
        }
        catch (Exception e) when (StoragePipelines.IsTransient(e) || e is RequestFailedException or InvalidOperationException)
        {
            // Storage that does not answer, or is not configured: say so without a stack trace.
            await Console.Error.WriteLineAsync($"Storage could not be used: {FirstLine(e.Message)}");
            await Console.Error.WriteLineAsync("Is Azurite running (./run.sh)? Pass --connection, or set AzureWebJobsStorage, for another account.");
            return 1;
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    private static int Help(TextWriter writer, int exitCode)
    {
        writer.WriteLine(Usage);
        return exitCode;
    }
}
