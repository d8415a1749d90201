using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace UsageProcessor.Chaos;

/// <summary>
/// A TCP relay in front of one storage service (the table endpoint): the hosts talk to storage through it, and an
/// outage closes every connection and refuses new ones for a while, as a service that is down does, while the other
/// services (queues) stay up.
/// </summary>
internal sealed class TcpOutage : IAsyncDisposable
{
    private readonly int _target;
    private readonly ConcurrentDictionary<TcpClient, byte> _open = new();
    private readonly CancellationTokenSource _stopping = new();
    private TcpListener? _listener;
    private Task _accepting = Task.CompletedTask;

    public TcpOutage(int target)
    {
        _target = target;
        Port = Repository.FreePort();
        Listen();
    }

    /// <summary>The port to connect to instead of the service's.</summary>
    public int Port { get; }

    /// <summary>Takes the service away for <paramref name="duration"/>: open connections are reset, new ones refused.</summary>
    public async Task OutageAsync(TimeSpan duration)
    {
        _listener?.Stop();
        await _accepting;
        foreach (var client in _open.Keys)
        {
            try
            {
                // Reset rather than close: the other side sees the connection fail at once.
                client.Client?.LingerState = new LingerOption(true, 0);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }

            client.Dispose();
        }

        await Task.Delay(duration);
        Listen();
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _listener?.Stop();
        await _accepting;
        foreach (var client in _open.Keys)
        {
            client.Dispose();
        }

        _stopping.Dispose();
    }

    private void Listen()
    {
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        var listener = _listener;
        _accepting = Task.Run(async () =>
        {
            while (!_stopping.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync(_stopping.Token);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
                {
                    return;
                }

                _ = RelayAsync(client);
            }
        });
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var upstream = new TcpClient();
        _open[client] = 0;
        _open[upstream] = 0;
        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, _target);
            using var a = client.GetStream();
            using var b = upstream.GetStream();
            await Task.WhenAny(a.CopyToAsync(b), b.CopyToAsync(a));
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // The outage, or either side closing.
        }
        finally
        {
            _open.TryRemove(client, out _);
            _open.TryRemove(upstream, out _);
            client.Dispose();
        }
    }
}
