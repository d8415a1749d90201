using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using UsageProcessor.Testing;

namespace UsageProcessor.Chaos;

/// <summary>Where the repository's built pieces are.</summary>
internal static class Repository
{
    public static string Root { get; } = AzuriteProcess.RepositoryRoot();

    public static string SelfHostDll => Path.Combine(Root, "src", "Host", "bin", "Release", "net10.0", "UsageProcessor.Host.dll");

    public static string Azurite => Path.Combine(Root, "node_modules", ".bin", "azurite");

    public static int FreePort() => AzuriteProcess.FreePort();
}

/// <summary>POSIX signals, for what Process cannot do: pause, resume and politely stop a process.</summary>
internal static partial class Signals
{
    public const int Term = 15;
    public const int Stop = 19;
    public const int Cont = 18;

    public static void Send(Process process, int signal)
    {
        if (Kill(process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({process.Id}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

/// <summary>A child process whose output is kept for the report when something goes wrong.</summary>
internal abstract class ChildProcess : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _output = new();

    protected Process? Process { get; private set; }

    public bool IsRunning => Process is { HasExited: false };

    public string Log(int lines = 30) => string.Join('\n', _output.TakeLast(lines));

    public async Task KillAsync()
    {
        if (Process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Process?.Dispose();
        GC.SuppressFinalize(this);
    }

    protected void Launch(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        Process?.Dispose();
        Process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        Process.OutputDataReceived += (_, e) => Keep(e.Data);
        Process.ErrorDataReceived += (_, e) => Keep(e.Data);
        Process.BeginOutputReadLine();
        Process.BeginErrorReadLine();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 400 && _output.TryDequeue(out _))
        {
        }
    }
}

/// <summary>Azurite on fixed free ports over one data folder, so that it can be stopped and started again on the same data.</summary>
internal sealed class StorageEmulator : ChildProcess
{
    private readonly string _data = Directory.CreateTempSubdirectory("chaos-azurite-").FullName;
    private readonly int _blob = Repository.FreePort();
    private readonly int _queue = Repository.FreePort();
    private readonly int _table = Repository.FreePort();

    public string ConnectionString => ConnectionStringWithTablePort(_table);

    /// <summary>The table service's own port, for a relay in front of it.</summary>
    public int TablePort => _table;

    /// <summary>The connection string with the table endpoint on another port (a relay's).</summary>
    public string ConnectionStringWithTablePort(int tablePort) => AzuriteProcess.Connection(_blob, _queue, tablePort);

    public async Task StartAsync()
    {
        if (!File.Exists(Repository.Azurite))
        {
            throw new InvalidOperationException($"Azurite is not installed: run 'npm ci' in {Repository.Root}.");
        }

        Launch(new ProcessStartInfo(Repository.Azurite)
        {
            ArgumentList =
            {
                "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--location", _data,
                "--blobHost", "127.0.0.1", "--blobPort", $"{_blob}",
                "--queueHost", "127.0.0.1", "--queuePort", $"{_queue}",
                "--tableHost", "127.0.0.1", "--tablePort", $"{_table}",
            },
        });
        foreach (var port in new[] { _blob, _queue, _table })
        {
            await WaitForPortAsync(port);
        }
    }

    /// <summary>Freezes the emulator (SIGSTOP): connections stay open and requests hang, as on a stalled service.</summary>
    public void Pause() => Signals.Send(Process!, Signals.Stop);

    public void Resume() => Signals.Send(Process!, Signals.Cont);

    /// <summary>Stops the emulator with SIGTERM (it saves its stores) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (Process is { HasExited: false } process)
        {
            Signals.Send(process, Signals.Term);
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await process.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                await KillAsync();
            }
        }
    }

    public void DeleteData()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a dying process; the temp folder is cleaned up by the system.
        }
    }

    private static async Task WaitForPortAsync(int port)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }
}

/// <summary>One real self-host process (the product's queue listeners and HTTP API) with its chaos settings.</summary>
internal sealed class SelfHost(string name, string storageConnection, IReadOnlyDictionary<string, string> settings) : ChildProcess
{
    public const string FunctionKey = "chaos-key";

    public string Name { get; } = name;

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    public int Starts { get; private set; }

    public void Start()
    {
        if (!File.Exists(Repository.SelfHostDll))
        {
            throw new InvalidOperationException($"The self-host is not built: run 'dotnet build src/Host -c Release' ({Repository.SelfHostDll}).");
        }

        var port = Repository.FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            ArgumentList = { Repository.SelfHostDll, "--urls", BaseAddress.ToString().TrimEnd('/') },
            WorkingDirectory = Path.GetDirectoryName(Repository.SelfHostDll)!,
            Environment =
            {
                ["AzureWebJobsStorage"] = storageConnection,
                ["SelfHost__FunctionKeys__0"] = FunctionKey,
                // Chaos is refused in Production.
                ["DOTNET_ENVIRONMENT"] = "Development",
                ["Logging__LogLevel__Default"] = "Warning",
                ["Logging__Console__FormatterOptions__SingleLine"] = "true",
            },
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        Launch(start);
        Starts++;
    }

    public async Task WaitUntilHealthyAsync(HttpClient http, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            if (!IsRunning)
            {
                throw new InvalidOperationException($"Self-host {Name} exited during start-up.\n{Log()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, "api/health"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Self-host {Name} was not healthy within {patience}.\n{Log()}");
            }

            await Task.Delay(250);
        }
    }
}
