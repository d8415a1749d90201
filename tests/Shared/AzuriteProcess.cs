using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace UsageProcessor.Testing;

/// <summary>A real Azurite started from the repository's node_modules on free loopback ports, data in a temporary folder.</summary>
/// <remarks>Compiled into the test projects and the load harness by link, so every one starts Azurite the same way.</remarks>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly Process _process;
    private readonly string _dataDirectory;

    private AzuriteProcess(Process process, string dataDirectory, string connectionString)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        ConnectionString = connectionString;
    }

    /// <summary>The connection string of this Azurite.</summary>
    public string ConnectionString { get; }

    /// <summary>Starts Azurite and waits until its three services listen.</summary>
    public static async Task<AzuriteProcess> StartAsync(string namePrefix)
    {
        var root = RepositoryRoot();
        var azurite = Path.Combine(root, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite))
        {
            throw new InvalidOperationException($"Azurite is not installed: run ./test.sh, or 'npm ci' in {root}.");
        }

        var dataDirectory = Directory.CreateTempSubdirectory(namePrefix).FullName;
        int blob = FreePort(), queue = FreePort(), table = FreePort();
        var start = new ProcessStartInfo(azurite)
        {
            ArgumentList =
            {
                "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--location", dataDirectory,
                "--blobHost", "127.0.0.1", "--blobPort", $"{blob}",
                "--queueHost", "127.0.0.1", "--queuePort", $"{queue}",
                "--tableHost", "127.0.0.1", "--tablePort", $"{table}",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        foreach (var port in new[] { blob, queue, table })
        {
            await WaitForPortAsync(port);
        }

        return new AzuriteProcess(process, dataDirectory, Connection(blob, queue, table));
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the exiting emulator: the temp folder is cleaned by the OS later.
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The connection string of an Azurite listening on the given ports.</summary>
    public static string Connection(int blob, int queue, int table) =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        $"AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;";

    /// <summary>A TCP port nobody listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The folder holding Serverless.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Serverless.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Serverless.sln was not found above the binaries.");
    }

    private static async Task WaitForPortAsync(int port)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(100);
            }
        }
    }
}
