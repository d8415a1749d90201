using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace UsageProcessor.Metering.Webhooks;

/// <summary>Which webhook addresses alerts may be posted to: globally routable https only, loopback http only in development.</summary>
/// <remarks>
/// Checked twice: when a subscription is created (the URL) and when a delivery connects (every resolved address),
/// so a public name that later resolves to a private address cannot turn the deliverer against the private network.
/// </remarks>
public static class WebhookAddressPolicy
{
    // The IANA special-purpose address registries (IPv4 and IPv6) minus nothing: none of these is a public unicast
    // destination a customer's webhook could need. IPv6 must moreover lie in 2000::/3, the global unicast block.
    private static readonly (IPNetwork Network, string Name)[] SpecialIPv4 =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "'this network'"),
        (IPNetwork.Parse("10.0.0.0/8"), "private"),
        (IPNetwork.Parse("100.64.0.0/10"), "shared (carrier-grade NAT)"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local (cloud metadata)"),
        (IPNetwork.Parse("172.16.0.0/12"), "private"),
        (IPNetwork.Parse("192.0.0.0/24"), "IETF protocol assignment"),
        (IPNetwork.Parse("192.0.2.0/24"), "documentation"),
        (IPNetwork.Parse("192.88.99.0/24"), "6to4 relay anycast"),
        (IPNetwork.Parse("192.168.0.0/16"), "private"),
        (IPNetwork.Parse("198.18.0.0/15"), "benchmarking"),
        (IPNetwork.Parse("198.51.100.0/24"), "documentation"),
        (IPNetwork.Parse("203.0.113.0/24"), "documentation"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast"),
        (IPNetwork.Parse("240.0.0.0/4"), "reserved or broadcast"),
    ];

    private static readonly IPNetwork GlobalUnicastIPv6 = IPNetwork.Parse("2000::/3");

    private static readonly (IPNetwork Network, string Name)[] SpecialIPv6 =
    [
        (IPNetwork.Parse("64:ff9b::/96"), "NAT64"),
        (IPNetwork.Parse("64:ff9b:1::/48"), "local-use NAT64"),
        (IPNetwork.Parse("100::/64"), "discard-only"),
        (IPNetwork.Parse("2001::/32"), "Teredo"),
        (IPNetwork.Parse("2001::/23"), "IETF protocol assignment"),
        (IPNetwork.Parse("2001:db8::/32"), "documentation"),
        (IPNetwork.Parse("2002::/16"), "6to4"),
        (IPNetwork.Parse("3fff::/20"), "documentation"),
        (IPNetwork.Parse("5f00::/16"), "segment routing"),
        (IPNetwork.Parse("fc00::/7"), "unique local"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
        (IPNetwork.Parse("fec0::/10"), "site-local"),
        (IPNetwork.Parse("ff00::/8"), "multicast"),
    ];

    // ::a.b.c.d (IPv4-compatible, deprecated) and ::ffff:a.b.c.d (IPv4-mapped) reach the embedded IPv4 address.
    private static readonly IPNetwork IPv4Compatible = IPNetwork.Parse("::/96");
    private static readonly IPNetwork IPv4Mapped = IPNetwork.Parse("::ffff:0:0/96");

    /// <summary>Why <paramref name="url"/> cannot be a webhook, or null when it can.</summary>
    /// <remarks>The URL is judged as given: callers trim it first (and store the trimmed form).</remarks>
    public static string? Check(string? url, bool allowLoopback)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return "is required.";
        }

        if (url.Length > 2048)
        {
            return $"must be at most 2048 characters; got {url.Length}.";
        }

        if (url.AsSpan().ContainsAny(" \t\r\n"))
        {
            return "must not contain spaces or line breaks.";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.IsFile || uri.IsUnc)
        {
            return WebhookHostNames.WhyNotAbsolute(url);
        }

        if (uri.Port is < 1 or > 65535)
        {
            return $"must have a port from 1 to 65535; got {uri.Port}.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "must not carry user name or password.";
        }

        var host = uri.IdnHost;
        var literal = uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && IPAddress.TryParse(host.Trim('[', ']'), out var parsed)
            ? parsed
            : null;
        if (literal is null && WebhookHostNames.Check(host) is { } hostReason)
        {
            return hostReason;
        }

        var loopbackHost = literal is not null ? IPAddress.IsLoopback(Embedded(literal)) : WebhookHostNames.IsLoopback(host);
        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && allowLoopback && loopbackHost))
        {
            return allowLoopback
                ? $"must use https, not {uri.Scheme} (http is allowed for loopback addresses in development)."
                : $"must use https, not {uri.Scheme}.";
        }

        if (loopbackHost)
        {
            return allowLoopback ? null : "must not point at a loopback address or name.";
        }

        if (literal is not null && WhyRefused(literal, allowLoopback) is { } addressReason)
        {
            return $"must not point at {addressReason}.";
        }

        if (literal is null && WebhookHostNames.SpecialUseSuffix(host) is { } suffix)
        {
            return $"must not use the special-use domain '.{suffix}', which does not resolve on the public Internet.";
        }

        return null;
    }

    /// <summary>Why a delivery may not connect to <paramref name="address"/> (such as "a private address (10.0.0.0/8)"), or null.</summary>
    public static string? WhyRefused(IPAddress address, bool allowLoopback)
    {
        ArgumentNullException.ThrowIfNull(address);
        var judged = Embedded(address);
        if (IPAddress.IsLoopback(judged))
        {
            return allowLoopback ? null : $"a loopback address ({address})";
        }

        if (judged.AddressFamily == AddressFamily.InterNetwork)
        {
            foreach (var (network, name) in SpecialIPv4)
            {
                if (network.Contains(judged))
                {
                    return $"a {name} address ({address} is in {network})";
                }
            }
        }
        else if (judged.AddressFamily == AddressFamily.InterNetworkV6)
        {
            foreach (var (network, name) in SpecialIPv6)
            {
                if (network.Contains(judged))
                {
                    return $"a {name} address ({address} is in {network})";
                }
            }

            if (!GlobalUnicastIPv6.Contains(judged))
            {
                return $"an address outside global unicast ({address} is not in {GlobalUnicastIPv6})";
            }
        }
        else
        {
            return $"an address of family {address.AddressFamily}";
        }

        return IsOwnAddress(judged) ? $"an address of this host ({address})" : null;
    }

    /// <summary>Connects to a webhook host, refusing it when any resolved address is one the policy forbids.</summary>
    /// <exception cref="WebhookAddressRefusedException">The host resolves to a forbidden address, or to none.</exception>
    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowLoopback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        IPAddress[] addresses;
        if (IPAddress.TryParse(endpoint.Host, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            var nameReason = WebhookHostNames.Check(endpoint.Host)
                ?? (WebhookHostNames.IsLoopback(endpoint.Host) && !allowLoopback ? "is a loopback name." : null)
                ?? (WebhookHostNames.SpecialUseSuffix(endpoint.Host) is { } suffix ? $"uses the special-use domain '.{suffix}'." : null);
            if (nameReason is not null)
            {
                throw new WebhookAddressRefusedException($"host '{endpoint.Host}' {nameReason}");
            }

            addresses = await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        }

        // Every address is judged, not just the one connected to: a name mixing public and private answers is refused.
        foreach (var address in addresses)
        {
            if (WhyRefused(address, allowLoopback) is { } reason)
            {
                throw new WebhookAddressRefusedException($"host '{endpoint.Host}' resolves to {reason}.");
            }
        }

        if (addresses.Length == 0)
        {
            throw new WebhookAddressRefusedException($"host '{endpoint.Host}' resolves to no address.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static IPAddress Embedded(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6 || address.ScopeId != 0)
        {
            return address;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        // ::a.b.c.d, except :: and ::1 themselves (unspecified and loopback).
        if (IPv4Compatible.Contains(address) && !address.Equals(IPAddress.IPv6Any) && !address.Equals(IPAddress.IPv6Loopback))
        {
            return new IPAddress(address.GetAddressBytes().AsSpan(12, 4));
        }

        return address;
    }

    private static bool IsOwnAddress(IPAddress address)
    {
        try
        {
            foreach (var network in NetworkInterface.GetAllNetworkInterfaces())
            {
                foreach (var unicast in network.GetIPProperties().UnicastAddresses)
                {
                    if (Embedded(unicast.Address).Equals(address))
                    {
                        return true;
                    }
                }
            }
        }
        catch (NetworkInformationException)
        {
            // Interfaces cannot be listed here; the range checks above still apply.
        }

        return false;
    }
}

/// <summary>A webhook delivery was not attempted because the address policy refused the host's address.</summary>
public sealed class WebhookAddressRefusedException(string reason) : HttpRequestException(reason)
{
    /// <summary>Why the address was refused.</summary>
    public string Reason { get; } = reason;
}
