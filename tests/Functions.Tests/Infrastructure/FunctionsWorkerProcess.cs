using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace UsageProcessor.Functions.Tests.Infrastructure;

/// <summary>
/// The Functions app's worker as the host starts it: the executable and worker path from the app's
/// <c>worker.config.json</c>, the four <c>--functions-*</c> arguments, and the app directory as working directory.
/// </summary>
public sealed class FunctionsWorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private FunctionsWorkerProcess(Process process, string workerId)
    {
        _process = process;
        WorkerId = workerId;
    }

    /// <summary>The built Functions app, next to its worker.config.json.</summary>
    public static string AppDirectory { get; } = typeof(FunctionsWorkerProcess).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "FunctionsAppDirectory").Value!;

    /// <summary>The id the worker must name in its <c>StartStream</c>.</summary>
    public string WorkerId { get; }

    public bool HasExited => _process.HasExited;

    public static FunctionsWorkerProcess Start(Uri hostEndpoint, IReadOnlyDictionary<string, string> settings)
    {
        var configPath = Path.Combine(AppDirectory, "worker.config.json");
        if (!File.Exists(configPath))
        {
            throw new InvalidOperationException($"The Functions app is not built: {configPath} is missing.");
        }

        using var config = JsonDocument.Parse(File.ReadAllText(configPath));
        var description = config.RootElement.GetProperty("description");
        var executable = description.GetProperty("defaultExecutablePath").GetString()!;
        if (executable == "dotnet")
        {
            executable = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        }

        var workerId = Guid.NewGuid().ToString();
        var start = new ProcessStartInfo(executable)
        {
            ArgumentList =
            {
                Path.Combine(AppDirectory, description.GetProperty("defaultWorkerPath").GetString()!),
                "--functions-uri", hostEndpoint.ToString(),
                "--functions-worker-id", workerId,
                "--functions-request-id", Guid.NewGuid().ToString(),
                "--functions-grpc-max-message-length", int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            WorkingDirectory = AppDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                // What the host puts in the worker's environment.
                ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
                ["FUNCTIONS_APPLICATION_DIRECTORY"] = AppDirectory,
                ["FUNCTIONS_WORKER_DIRECTORY"] = AppDirectory,
                ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development",
            },
        };
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The worker did not start.");
        var worker = new FunctionsWorkerProcess(process, workerId);
        process.OutputDataReceived += (_, e) => worker.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => worker.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>The last lines the worker wrote to its console, for failure messages.</summary>
    public string Log(int lines = 40) =>
        $"worker {(_process.HasExited ? $"exited with {_process.ExitCode}" : "running")}:\n{string.Join('\n', _output.TakeLast(lines))}";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}
