using System.Globalization;

namespace UsageProcessor.Pricing;

/// <summary>The one range of instants the product accepts anywhere: grant expiries, job times, query ranges, periods. Pure.</summary>
/// <remarks>
/// Azure Tables stores dates from 1601 only, and sums such as an expiry plus a grace overflow near
/// <see cref="DateTimeOffset.MaxValue"/>; a range far inside both keeps every accepted instant storable and leaves
/// millennia of headroom for any grace or lifetime added to it. Instants outside it are refused where they come in.
/// </remarks>
public static class InstantBounds
{
    /// <summary>The earliest instant accepted (inclusive).</summary>
    public static readonly DateTimeOffset Min = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The first instant no longer accepted (exclusive).</summary>
    public static readonly DateTimeOffset End = new(9000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The range in words, for problems and docs.</summary>
    public const string Range = "from 2000-01-01T00:00:00Z up to, not including, 9000-01-01T00:00:00Z";

    /// <summary>Whether <paramref name="instant"/> is in the accepted range.</summary>
    public static bool Contains(DateTimeOffset instant) => instant >= Min && instant < End;

    /// <summary>Why <paramref name="instant"/> is refused, or null when it is accepted.</summary>
    public static string? Check(DateTimeOffset instant) =>
        Contains(instant)
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"must be {Range}; got {instant.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}.");
}
