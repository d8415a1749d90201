using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Metering.Tests.Infrastructure;

/// <summary>One real Azurite for the test run: the one test.sh started, or one started here on free ports.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    /// <summary>The variable test.sh sets to the connection string of the Azurite it started.</summary>
    public const string ConnectionVariable = "METERING_TEST_STORAGE";

    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private Process? _azurite;
    private string? _dataDirectory;
    private int _names;

    /// <summary>The connection string of the running Azurite.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        var fromScript = Environment.GetEnvironmentVariable(ConnectionVariable);
        if (!string.IsNullOrWhiteSpace(fromScript))
        {
            ConnectionString = fromScript;
            return;
        }

        var root = RepositoryRoot();
        var azurite = Path.Combine(root, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite))
        {
            throw new InvalidOperationException($"Azurite is not installed: run ./test.sh, or 'npm ci' in {root}.");
        }

        _dataDirectory = Directory.CreateTempSubdirectory("metering-tests-azurite-").FullName;
        int blob = FreePort(), queue = FreePort(), table = FreePort();
        var start = new ProcessStartInfo(azurite)
        {
            ArgumentList =
            {
                "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--location", _dataDirectory,
                "--blobHost", "127.0.0.1", "--blobPort", $"{blob}",
                "--queueHost", "127.0.0.1", "--queuePort", $"{queue}",
                "--tableHost", "127.0.0.1", "--tablePort", $"{table}",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _azurite = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        _azurite.OutputDataReceived += (_, _) => { };
        _azurite.ErrorDataReceived += (_, _) => { };
        _azurite.BeginOutputReadLine();
        _azurite.BeginErrorReadLine();
        foreach (var port in new[] { blob, queue, table })
        {
            await WaitForPortAsync(port);
        }

        ConnectionString = Connection(blob, queue, table);
    }

    public Task DisposeAsync()
    {
        if (_azurite is { HasExited: false })
        {
            _azurite.Kill(entireProcessTree: true);
            _azurite.WaitForExit(10_000);
        }

        _azurite?.Dispose();
        if (_dataDirectory is not null)
        {
            try
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by the exiting emulator: the temp folder is cleaned by the OS later.
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>A storage account over this Azurite.</summary>
    public StorageAccount CreateStorageAccount() => StorageAccount.FromConnectionString(ConnectionString);

    /// <summary>Table and queue names no other test class uses.</summary>
    public TestNames UniqueNames(string hint)
    {
        var n = Interlocked.Increment(ref _names);
        var stem = new string([.. hint.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(12)]);
        var id = $"{stem}{n}x{Guid.NewGuid():N}"[..Math.Min(stem.Length + 12, 30)];
        return new TestNames($"t{id}", $"q{id}");
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

        throw new InvalidOperationException("Serverless.sln was not found above the test binaries.");
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

    private static async Task WaitForPortAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
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

/// <summary>Names for one test class's tables (<see cref="TablePrefix"/>) and queues (<see cref="QueuePrefix"/>).</summary>
public sealed record TestNames(string TablePrefix, string QueuePrefix);

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
