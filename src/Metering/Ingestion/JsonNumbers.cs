using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace UsageProcessor.Metering.Ingestion;

/// <summary>Reads JSON numbers into decimals without silent rounding.</summary>
/// <remarks>
/// <see cref="JsonElement.TryGetDecimal"/> rounds a number with more than 28 or 29 significant digits to the nearest
/// decimal, so 600.0000000000000000000000000001 seconds became 600 and 1.0000000000000000000000000000001 pages became
/// a whole 1. Here the caller learns whether the value is exact; an inexact one is rounded away from zero, which
/// keeps both its sign and its ceiling (the next representable decimal never passes the next whole number).
/// </remarks>
internal static class JsonNumbers
{
    private const int MaxScale = 28;
    private static readonly BigInteger MaxMantissa = (BigInteger)decimal.MaxValue;

    /// <summary>The value of a JSON number; false when its magnitude is beyond a decimal's range.</summary>
    public static bool TryRead(JsonElement element, out decimal value, out bool exact)
    {
        exact = true;
        // Fast path, no allocation: without an exponent, 29 characters hold at most 28 digits at a scale of at most
        // 27, which a decimal always holds exactly.
        var raw = JsonMarshal.GetRawUtf8Value(element);
        if (raw.Length <= 29 && !raw.ContainsAny((byte)'e', (byte)'E') && element.TryGetDecimal(out value))
        {
            return true;
        }

        value = 0m;
        var text = element.GetRawText().AsSpan();
        var negative = text.Length > 0 && text[0] == '-';
        if (negative)
        {
            text = text[1..];
        }

        long exponent = 0;
        var e = text.IndexOfAny('e', 'E');
        if (e >= 0)
        {
            if (!long.TryParse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent)
                || exponent is > 1_000_000_000 or < -1_000_000_000)
            {
                return IsZero(text[..e]);
            }

            text = text[..e];
        }

        var dot = text.IndexOf('.');
        string digits;
        if (dot >= 0)
        {
            digits = string.Concat(text[..dot], text[(dot + 1)..]);
            exponent -= text.Length - dot - 1;
        }
        else
        {
            digits = text.ToString();
        }

        digits = digits.TrimStart('0');
        var trimmed = digits.TrimEnd('0');
        exponent += digits.Length - trimmed.Length;
        digits = trimmed;
        if (digits.Length == 0)
        {
            return true;
        }

        if (exponent >= 0)
        {
            if (digits.Length + exponent > 29)
            {
                return false;
            }

            var whole = BigInteger.Parse(digits, CultureInfo.InvariantCulture) * BigInteger.Pow(10, (int)exponent);
            if (whole > MaxMantissa)
            {
                return false;
            }

            value = negative ? -(decimal)whole : (decimal)whole;
            return true;
        }

        // value = digits × 10^exponent; drop the digits a decimal cannot hold (its scale is at most 28 and its mantissa 96 bits).
        var scale = -exponent;
        var drop = Math.Max(0, Math.Max(scale - MaxScale, digits.Length - 29));
        BigInteger mantissa;
        while (true)
        {
            var kept = digits.Length - drop;
            mantissa = kept > 0 ? BigInteger.Parse(digits.AsSpan(0, (int)kept), CultureInfo.InvariantCulture) : BigInteger.Zero;
            if (drop > 0)
            {
                // The dropped digits end in a non-zero digit (trailing zeros were removed), so the number is inexact.
                mantissa += 1;
            }

            if (mantissa <= MaxMantissa)
            {
                break;
            }

            drop++;
        }

        if (scale - drop < 0)
        {
            return false;
        }

        exact = drop == 0;
        var bits = decimal.GetBits((decimal)mantissa);
        value = new decimal(bits[0], bits[1], bits[2], negative, (byte)(scale - drop));
        return true;
    }

    private static bool IsZero(ReadOnlySpan<char> mantissa) => !mantissa.ContainsAnyExcept("0.");
}
