using System.Net;
using System.Net.Sockets;

namespace UsageProcessor.Metering.Alerts;

/// <summary>Which webhook addresses alerts may be posted to: public https only, loopback http only in development.</summary>
/// <remarks>
/// Checked twice: when a subscription is created (the URL) and when a delivery connects (every resolved address),
/// so a public name that later resolves to a private address cannot turn the deliverer against the private network.
/// </remarks>
public static class WebhookAddressPolicy
{
    /// <summary>Why <paramref name="url"/> cannot be a webhook, or null when it can.</summary>
    public static string? Check(string? url, bool allowLoopback)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return "is required.";
        }

        if (url.Length > 2048 || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return "must be an absolute URL of at most 2048 characters.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "must not carry user name or password.";
        }

        var loopbackHost = uri.IsLoopback || string.Equals(uri.IdnHost, "localhost", StringComparison.OrdinalIgnoreCase);
        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && allowLoopback && loopbackHost))
        {
            return allowLoopback
                ? "must use https (http is allowed for loopback addresses in development)."
                : "must use https.";
        }

        if (loopbackHost && !allowLoopback)
        {
            return "must not point at a loopback address.";
        }

        if (IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var address) && !IsAllowed(address, allowLoopback))
        {
            return "must not point at a private, link-local or otherwise non-public address.";
        }

        return null;
    }

    /// <summary>Whether a delivery may connect to <paramref name="address"/>.</summary>
    public static bool IsAllowed(IPAddress address, bool allowLoopback)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return allowLoopback;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0
                || b[0] == 10
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)   // carrier-grade NAT
                || (b[0] == 169 && b[1] == 254)                 // link-local, cloud metadata
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)
                || (b[0] == 198 && (b[1] == 18 || b[1] == 19))  // benchmarking
                || b[0] >= 224);                                // multicast, reserved, broadcast
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return !(address.Equals(IPAddress.IPv6Any)
                || address.IsIPv6LinkLocal
                || address.IsIPv6SiteLocal
                || address.IsIPv6Multicast
                || (b[0] & 0xFE) == 0xFC);                     // unique local fc00::/7
        }

        return false;
    }

    /// <summary>Connects to a webhook host, refusing any resolved address the policy forbids.</summary>
    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowLoopback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        var allowed = addresses.Where(a => IsAllowed(a, allowLoopback)).ToArray();
        if (allowed.Length == 0)
        {
            throw new HttpRequestException($"Webhook host '{endpoint.Host}' resolves to no public address.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
