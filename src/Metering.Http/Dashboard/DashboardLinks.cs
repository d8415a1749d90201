using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace UsageProcessor.Metering.Http.Dashboard;

/// <summary>What a page link opens: one account's page, or the operator's page of every account.</summary>
/// <param name="AccountId">The account, or null for the operator's page.</param>
public sealed record LinkScope(string? AccountId)
{
    /// <summary>The operator's page.</summary>
    public static LinkScope Operator { get; } = new((string?)null);

    /// <summary>The text the signature covers.</summary>
    public string Text => AccountId is null ? "operator" : "account:" + AccountId;
}

/// <summary>Why a link was refused.</summary>
public enum LinkRefusal
{
    /// <summary>Accepted.</summary>
    None,

    /// <summary>No token, or not one this service made.</summary>
    Malformed,

    /// <summary>The signature does not match: forged or altered.</summary>
    Forged,

    /// <summary>Signed for another page.</summary>
    WrongScope,

    /// <summary>Past its expiry.</summary>
    Expired,

    /// <summary>The pages are off (no signing key configured).</summary>
    Disabled,
}

/// <summary>
/// Signs and checks the short-lived tokens of page links, like a customer portal URL: <c>base64url(scope \n expiry) . base64url(HMAC-SHA256)</c>.
/// An operator or the customer's backend asks for one with its function key; the page itself needs no key.
/// </summary>
public sealed class DashboardLinks(IOptions<DashboardOptions> options, TimeProvider timeProvider)
{
    private readonly byte[]? _key = options.Value.KeyBytes();

    /// <summary>Whether a signing key is configured.</summary>
    public bool Enabled => _key is not null;

    /// <summary>A token for <paramref name="scope"/> that expires at <paramref name="expiresAt"/>.</summary>
    public string Create(LinkScope scope, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var key = _key ?? throw new InvalidOperationException("Dashboard:SigningKey is not configured.");
        var payload = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{scope.Text}\n{expiresAt.ToUnixTimeSeconds()}"));
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(key, payload));
    }

    /// <summary>Checks <paramref name="token"/> for <paramref name="scope"/> now; <see cref="LinkRefusal.None"/> when it opens the page.</summary>
    public LinkRefusal Check(string? token, LinkScope scope) => Check(token, scope, out _);

    /// <summary>Checks <paramref name="token"/> for <paramref name="scope"/> now, giving its expiry when accepted.</summary>
    public LinkRefusal Check(string? token, LinkScope scope, out DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(scope);
        expiresAt = default;
        if (_key is null)
        {
            return LinkRefusal.Disabled;
        }

        var dot = token?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (token is null || dot <= 0 || token.Length > 2048)
        {
            return LinkRefusal.Malformed;
        }

        byte[] payload, signature;
        try
        {
            payload = Base64Url.DecodeFromChars(token.AsSpan(0, dot));
            signature = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            return LinkRefusal.Malformed;
        }

        if (!CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(_key, payload), signature))
        {
            return LinkRefusal.Forged;
        }

        var text = Encoding.UTF8.GetString(payload);
        var newline = text.LastIndexOf('\n');
        if (newline < 0 || !long.TryParse(text.AsSpan(newline + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return LinkRefusal.Malformed;
        }

        if (!string.Equals(text[..newline], scope.Text, StringComparison.Ordinal))
        {
            return LinkRefusal.WrongScope;
        }

        if (timeProvider.GetUtcNow().ToUnixTimeSeconds() >= expires)
        {
            return LinkRefusal.Expired;
        }

        expiresAt = DateTimeOffset.FromUnixTimeSeconds(expires);
        return LinkRefusal.None;
    }
}
