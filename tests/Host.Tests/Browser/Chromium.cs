using Microsoft.Playwright;

namespace UsageProcessor.Host.Tests.Browser;

/// <summary>Debian's chromium, driven by Playwright through its executable path (Playwright's own browser download is not used).</summary>
internal static class Chromium
{
    /// <summary>Where chromium is: <c>CHROMIUM_PATH</c>, else the first of the usual Debian paths that exists.</summary>
    /// <exception cref="InvalidOperationException">No chromium: the browser tests fail rather than skip.</exception>
    public static string ExecutablePath() =>
        ExecutablePath([Environment.GetEnvironmentVariable("CHROMIUM_PATH"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium"]);

    /// <summary>The first of <paramref name="candidates"/> that exists.</summary>
    /// <exception cref="InvalidOperationException">None exists.</exception>
    public static string ExecutablePath(IEnumerable<string?> candidates)
    {
        return candidates.FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p))
            ?? throw new InvalidOperationException(
                "The usage pages' browser tests need Debian's chromium: apt-get install -y chromium (.ci/run does), or set CHROMIUM_PATH.");
    }

    /// <summary>Launches headless chromium.</summary>
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var path = ExecutablePath();
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = path,
            Headless = true,

            // Root in CI containers: chromium's sandbox needs user namespaces that containers seldom allow.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        return (playwright, browser);
    }
}
