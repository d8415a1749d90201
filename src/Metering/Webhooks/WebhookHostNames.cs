using System.Globalization;

namespace UsageProcessor.Metering.Webhooks;

/// <summary>The host-name half of <see cref="WebhookAddressPolicy"/>: the syntax of a public DNS name, loopback names and special-use domains.</summary>
internal static class WebhookHostNames
{
    // Special-use domain names (RFC 6761 and successors) and the loopback names of common hosts files.
    private static readonly string[] LoopbackNames = ["localhost", "ip6-localhost", "ip6-loopback"];
    private static readonly string[] SpecialUseSuffixes = ["local", "internal", "invalid", "test", "onion", "alt", "home.arpa", "localdomain"];

    /// <summary>Whether <paramref name="host"/> is a loopback name (localhost and its kin).</summary>
    public static bool IsLoopback(string host)
    {
        var name = host.ToLowerInvariant();
        return Array.IndexOf(LoopbackNames, name) >= 0 || name.EndsWith(".localhost", StringComparison.Ordinal);
    }

    /// <summary>The special-use domain <paramref name="host"/> lies in (such as <c>internal</c>), or null.</summary>
    public static string? SpecialUseSuffix(string host)
    {
        var name = host.ToLowerInvariant();
        foreach (var suffix in SpecialUseSuffixes)
        {
            if (name == suffix || name.EndsWith("." + suffix, StringComparison.Ordinal))
            {
                return suffix;
            }
        }

        return null;
    }

    // A DNS host name as a resolver would take it from the public Internet: dotted labels of letters, digits and
    // inner hyphens, no empty label, no trailing dot (which bypasses name checks), at least two labels.
    public static string? Check(string host)
    {
        if (host.Length == 0)
        {
            return "must name a host.";
        }

        if (host.EndsWith('.'))
        {
            return $"must not end the host name '{host}' with a dot.";
        }

        if (host.Length > 253)
        {
            return $"must have a host name of at most 253 characters; got {host.Length}.";
        }

        var labels = host.Split('.');
        foreach (var label in labels)
        {
            if (label.Length == 0)
            {
                return $"has an empty label in the host name '{host}' (two dots in a row).";
            }

            if (label.Length > 63 || label.StartsWith('-') || label.EndsWith('-') || label.AsSpan().ContainsAnyExcept(HostNameCharacters))
            {
                return $"has an invalid label '{label}' in the host name '{host}': labels are 1 to 63 letters, digits or inner hyphens.";
            }
        }

        if (labels.Length < 2 && !IsLoopback(host))
        {
            return $"must use a fully qualified host name, not the single label '{host}'.";
        }

        return null;
    }

    private static readonly System.Buffers.SearchValues<char> HostNameCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");

    /// <summary>Why a URL that is not an absolute URI cannot be a webhook, naming the part that is wrong where it can.</summary>
    public static string WhyNotAbsolute(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            return "must be an absolute URL such as https://hooks.example.com/usage.";
        }

        var authority = url[(schemeEnd + 3)..];
        var end = authority.IndexOfAny(['/', '?', '#']);
        authority = end >= 0 ? authority[..end] : authority;
        var at = authority.LastIndexOf('@');
        authority = authority[(at + 1)..];
        var colon = authority.LastIndexOf(':');
        if (colon >= 0 && colon > authority.LastIndexOf(']'))
        {
            var port = authority[(colon + 1)..];
            if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
            {
                return $"must have a port from 1 to 65535; got '{port}'.";
            }

            authority = authority[..colon];
        }

        return authority.Length == 0
            ? "must name a host."
            : Check(authority.Trim('[', ']')) ?? "must be an absolute URL such as https://hooks.example.com/usage.";
    }
}
