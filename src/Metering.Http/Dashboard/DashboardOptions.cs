using System.ComponentModel.DataAnnotations;

namespace UsageProcessor.Metering.Http.Dashboard;

/// <summary>Settings of the usage pages, bound from the <c>Dashboard</c> section (app settings <c>Dashboard__SigningKey</c>, ...).</summary>
public sealed class DashboardOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Dashboard";

    /// <summary>The smallest signing key, in bytes (HMAC-SHA256's block of security).</summary>
    public const int MinKeyBytes = 32;

    /// <summary>
    /// The base64 key that signs page links (HMAC-SHA256), at least 32 bytes; empty turns the pages off. In Azure, set it as a
    /// Key Vault reference (<c>@Microsoft.KeyVault(SecretUri=...)</c>) so the key never sits in the app's settings.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>How long a link lasts when its creator asks for no other lifetime.</summary>
    [Range(1, 1440)]
    public int LinkMinutes { get; set; } = 15;

    /// <summary>The longest lifetime a link may be given.</summary>
    [Range(1, 10080)]
    public int MaxLinkMinutes { get; set; } = 1440;

    /// <summary>The decoded key, or null when the pages are off.</summary>
    public byte[]? KeyBytes() => string.IsNullOrEmpty(SigningKey) ? null : Convert.FromBase64String(SigningKey);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrEmpty(SigningKey))
        {
            yield break;
        }

        byte[]? key = null;
        try
        {
            key = Convert.FromBase64String(SigningKey);
        }
        catch (FormatException)
        {
        }

        if (key is null || key.Length < MinKeyBytes)
        {
            yield return new ValidationResult($"Dashboard:SigningKey must be base64 of at least {MinKeyBytes} bytes.", [nameof(SigningKey)]);
        }

        if (LinkMinutes > MaxLinkMinutes)
        {
            yield return new ValidationResult("Dashboard:LinkMinutes must not exceed Dashboard:MaxLinkMinutes.", [nameof(LinkMinutes)]);
        }
    }
}
