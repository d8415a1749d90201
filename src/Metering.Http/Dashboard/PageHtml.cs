using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;

namespace UsageProcessor.Metering.Http.Dashboard;

/// <summary>What both usage pages share: the shipped style sheet, the page frame, encoding and the security headers.</summary>
internal static class PageHtml
{
    /// <summary>The style sheet, from the assembly (no CDN, nothing fetched).</summary>
    public static string Css { get; } = ReadCss();

    // The page allows exactly this inline style sheet and nothing else: no script, no image, no frame, no request out.
    private static readonly string Policy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Css)))}'; " +
        "img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? string.Empty);

    public static string N(decimal value) => UsageProcessor.Metering.Partition.EntityValues.Format(value);

    public static string When(DateTimeOffset instant) => instant.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>A whole page around <paramref name="body"/>.</summary>
    public static string Page(string title, string body) =>
        $"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>{E(title)}</title>
        <style>{Css}</style>
        </head>
        <body>
        <a class="skip" href="#main">Skip to content</a>
        {body}
        </body>
        </html>
        """;

    /// <summary>The page as an answer, with headers that keep it out of caches, frames and referrers.</summary>
    public static IResult Answer(HttpRequest request, string html)
    {
        var headers = request.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XContentTypeOptions = "nosniff";
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8);
    }

    private static string ReadCss()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("dashboard.css")
            ?? throw new InvalidOperationException("The embedded resource dashboard.css is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
