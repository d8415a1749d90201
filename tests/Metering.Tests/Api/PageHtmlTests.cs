using System.Globalization;
using System.Text.RegularExpressions;
using UsageProcessor.Metering.Http.Dashboard;

namespace UsageProcessor.Metering.Tests.Api;

public sealed partial class PageHtmlTests
{
    [Fact]
    public void Css_EveryColour_HasAtLeastAaContrastOnWhiteAndThePanel()
    {
        // The light scheme: the dark scheme and print blocks aside (the browser tests run axe-core's contrast rules on the dark scheme).
        var lightScheme = MediaBlock().Replace(PageHtml.Css, string.Empty);
        var colours = Colour().Matches(lightScheme).Select(m => m.Value).Distinct().ToList();

        Assert.True(colours.Count >= 10);
        // The light colours are the backgrounds, the decorative table rules and gridlines; every other colour is text, a bar or the focus ring.
        var light = colours.Where(c => Luminance(c) > 0.5).ToHashSet();
        Assert.Equal(["#c8c8c8", "#e1e3e6", "#f6f7f9", "#fff"], light.Order(StringComparer.Ordinal));
        Assert.All(colours.Except(light), c =>
        {
            Assert.True(Contrast(c, "#fff") >= 4.5, $"{c} on white: {Contrast(c, "#fff"):0.00}");
            Assert.True(Contrast(c, "#f6f7f9") >= 4.5, $"{c} on the panel: {Contrast(c, "#f6f7f9"):0.00}");
        });
    }

    [Theory]
    [InlineData("usedCredits", "Used credits")]
    [InlineData("overageUsd", "Overage USD")]
    [InlineData("jobs", "Jobs")]
    public void Label_CamelCaseField_ReadsAsWords(string field, string label)
    {
        Assert.Equal(label, DashboardPage.Label(field));
    }

    [Fact]
    public void E_Markup_IsEncoded()
    {
        Assert.DoesNotContain("<", PageHtml.E("<script>alert(1)</script>"), StringComparison.Ordinal);
    }

    // WCAG 2 relative luminance and contrast ratio.
    private static double Luminance(string hex)
    {
        var h = hex.TrimStart('#');
        if (h.Length == 3)
        {
            h = string.Concat(h.Select(c => $"{c}{c}"));
        }

        double Channel(int i)
        {
            var v = int.Parse(h.AsSpan(i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
            return v <= 0.03928 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);
        }

        return (0.2126 * Channel(0)) + (0.7152 * Channel(2)) + (0.0722 * Channel(4));
    }

    private static double Contrast(string a, string b)
    {
        var (x, y) = (Luminance(a), Luminance(b));
        return (Math.Max(x, y) + 0.05) / (Math.Min(x, y) + 0.05);
    }

    [GeneratedRegex("#[0-9a-fA-F]{6}\\b|#[0-9a-fA-F]{3}\\b")]
    private static partial Regex Colour();

    [GeneratedRegex(@"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}")]
    private static partial Regex MediaBlock();
}
