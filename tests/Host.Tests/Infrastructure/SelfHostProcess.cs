using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using UsageProcessor.Testing;

namespace UsageProcessor.Host.Tests.Infrastructure;

/// <summary>The real self-host as a child process (<c>dotnet UsageProcessor.Host.dll</c> from the test's output), on a free port.</summary>
public sealed partial class SelfHostProcess : IAsyncDisposable
{
    /// <summary>The function key the tests configure (instead of the shipped development key).</summary>
    public const string FunctionKey = "e2e-test-key";

    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private SelfHostProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    /// <summary>Where the host listens, ending in a slash.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts the host against <paramref name="storageConnection"/>; call <see cref="WaitUntilHealthyAsync"/> next.</summary>
    public static SelfHostProcess Start(string storageConnection, IReadOnlyDictionary<string, string>? environment = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "UsageProcessor.Host.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"The self-host was not built next to the tests: {dll} is missing.");
        }

        var port = AzuriteProcess.FreePort();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            ArgumentList = { dll, "--urls", $"http://127.0.0.1:{port}" },
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["AzureWebJobsStorage"] = storageConnection,
                ["SelfHost__FunctionKeys__0"] = FunctionKey,
                ["Logging__Console__FormatterOptions__SingleLine"] = "true",
            },
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The self-host did not start.");
        var host = new SelfHostProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => host.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => host.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Waits until <c>GET /api/health</c> answers 200.</summary>
    public async Task WaitUntilHealthyAsync(HttpClient http, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The self-host exited with {_process.ExitCode} during start-up.\n{Log()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, "api/health"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The self-host did not become healthy within {patience}.\n{Log()}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Sends SIGTERM, as a service manager or Ctrl-C would, and waits for the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan patience)
    {
        if (!_process.HasExited && Kill(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed with errno {Marshal.GetLastPInvokeError()}.");
        }

        using var timeout = new CancellationTokenSource(patience);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>The last lines the host wrote, for failure messages.</summary>
    public string Log(int lines = 60) => string.Join('\n', _output.TakeLast(lines));

    /// <summary>Every line the host wrote so far.</summary>
    public IReadOnlyList<string> Lines => [.. _output];

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

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
