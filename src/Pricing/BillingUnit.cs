namespace UsageProcessor.Pricing;

/// <summary>What one billed unit of a job is.</summary>
public enum BillingUnit
{
    /// <summary>A document or healthcare page.</summary>
    Page,

    /// <summary>An image.</summary>
    Image,

    /// <summary>A started stretch of audio or video (five minutes in the shipped book).</summary>
    Segment,
}

/// <summary>Names of billing units as they appear in JSON and CSV.</summary>
public static class BillingUnitNames
{
    /// <summary>The lowercase wire name of <paramref name="unit"/>.</summary>
    public static string ToWireName(this BillingUnit unit) => unit switch
    {
        BillingUnit.Page => "page",
        BillingUnit.Image => "image",
        BillingUnit.Segment => "segment",
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Unknown billing unit."),
    };

    internal static bool TryParse(string? name, out BillingUnit unit)
    {
        switch (name)
        {
            case "page":
                unit = BillingUnit.Page;
                return true;
            case "image":
                unit = BillingUnit.Image;
                return true;
            case "segment":
                unit = BillingUnit.Segment;
                return true;
            default:
                unit = default;
                return false;
        }
    }
}
