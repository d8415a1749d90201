using System.Diagnostics;
using System.Reflection;

namespace UsageProcessor.Infra.Tests;

/// <summary>What one run of the Bicep CLI returned.</summary>
public sealed record BicepResult(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>True when the command exited 0 and wrote nothing to stderr (Bicep's diagnostics go there).</summary>
    public bool IsClean => ExitCode == 0 && string.IsNullOrWhiteSpace(StandardError);

    public override string ToString() =>
        $"`{Command}` exited {ExitCode}.{Environment.NewLine}stderr:{Environment.NewLine}{StandardError}";
}

/// <summary>
/// Runs the Bicep CLI restored from the Azure.Bicep.CommandLine.linux-x64 package. Its path is baked into
/// the assembly at build time (AssemblyMetadata "BicepPath"); the BICEP_PATH environment variable overrides it.
/// </summary>
public static class BicepCli
{
    private static readonly TimeSpan _timeout = TimeSpan.FromMinutes(3);
    private static readonly Lazy<string> _executablePath = new(LocateExecutable);

    public static string ExecutablePath => _executablePath.Value;

    /// <summary>Runs bicep with the given arguments from the repository root.</summary>
    public static BicepResult Run(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(ExecutablePath)
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var command = "bicep " + string.Join(' ', arguments);
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {command}.");
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(_timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} did not finish within {_timeout}.");
        }

        return new BicepResult(command, process.ExitCode, standardOutput.GetAwaiter().GetResult(), standardError.GetAwaiter().GetResult());
    }

    private static string LocateExecutable()
    {
        var path = Environment.GetEnvironmentVariable("BICEP_PATH");
        if (string.IsNullOrEmpty(path))
        {
            path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .SingleOrDefault(attribute => attribute.Key == "BicepPath")?.Value;
        }

        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            throw new InvalidOperationException(
                $"The Bicep CLI was not found at '{path}'. Restore tests/Infra.Tests (it references Azure.Bicep.CommandLine.linux-x64) or set BICEP_PATH.");
        }

        // NuGet does not always keep the executable bit of files it extracts.
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            const UnixFileMode Execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            if ((mode & UnixFileMode.UserExecute) == 0)
            {
                File.SetUnixFileMode(path, mode | Execute);
            }
        }

        return path;
    }
}
