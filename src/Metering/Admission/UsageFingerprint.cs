using System.Security.Cryptography;
using System.Text.Json;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Admission;

/// <summary>A short, stable fingerprint of a job's usage: what a reservation keeps to tell a retry of its request from other usage under the same id.</summary>
/// <remarks>
/// 16 hex digits of SHA-256 over the usage as JSON with exact decimals (so <c>2</c> and <c>2.0</c> pages agree): enough to
/// tell two bodies of one request id apart, and short enough that 200 reservations stay well inside the account row's
/// budget (<c>AccountRowBudget.ReservationChunks</c>).
/// </remarks>
public static class UsageFingerprint
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new ExactDecimalJsonConverter() } };

    /// <summary>The fingerprint of <paramref name="usage"/>.</summary>
    public static string Of(JobUsage usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        var hash = SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(usage, Json));
        return Convert.ToHexStringLower(hash, 0, 8);
    }
}
