using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Http;

/// <summary>Query string values shared by the read endpoints, each checked with a reason naming the parameter.</summary>
internal static class QueryParameters
{
    /// <summary>The route's account id and the <c>period</c> of a per-period read: null and the period, or the problem to answer.</summary>
    public static IResult? AccountAndPeriod(HttpRequest request, string accountId, TimeProvider timeProvider, out BillingPeriod period)
    {
        period = default;
        if (ApiProblems.CheckAccountId(accountId) is { } badId)
        {
            return badId;
        }

        var errors = new List<FieldError>();
        period = Period(request, timeProvider, errors);
        return errors.Count > 0 ? ApiProblems.Invalid(errors) : null;
    }

    public static BillingPeriod Period(HttpRequest request, TimeProvider timeProvider, List<FieldError> errors)
    {
        var text = request.Query["period"].ToString();
        if (string.IsNullOrEmpty(text))
        {
            return BillingPeriod.Of(timeProvider.GetUtcNow());
        }

        if (!BillingPeriod.TryParse(text, out var period))
        {
            errors.Add(new FieldError("period", "must be a month as YYYY-MM, such as 2026-11."));
        }

        return period;
    }

    public static int Limit(HttpRequest request, int fallback, int max, List<FieldError> errors)
    {
        var text = request.Query["limit"].ToString();
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit < 1 || limit > max)
        {
            errors.Add(new FieldError("limit", $"must be a whole number from 1 to {max}."));
            return fallback;
        }

        return limit;
    }

    /// <summary>Decodes an opaque cursor into the row key it stands for, checking it belongs to <paramref name="period"/>.</summary>
    public static string? Cursor(HttpRequest request, BillingPeriod period, List<FieldError> errors) =>
        Cursor(request, UsageProcessor.Metering.Partition.LedgerKeys.UsagePrefix(period), "is not a cursor of this period; pass nextCursor from the previous page unchanged.", errors);

    /// <summary>Decodes an opaque cursor into the row key it stands for, checking it starts with <paramref name="prefix"/>.</summary>
    public static string? Cursor(HttpRequest request, string prefix, string reason, List<FieldError> errors)
    {
        var text = request.Query["cursor"].ToString();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        try
        {
            var rowKey = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text));
            if (rowKey.StartsWith(prefix, StringComparison.Ordinal))
            {
                return rowKey;
            }
        }
        catch (FormatException)
        {
            // Falls through to the error below.
        }

        errors.Add(new FieldError("cursor", reason));
        return null;
    }

    public static string EncodeCursor(string rowKey) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(rowKey));
}
