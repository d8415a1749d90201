namespace UsageProcessor.Host.Tests.Browser;

public sealed class ChromiumTests
{
    [Fact]
    public void ExecutablePath_NoCandidateExists_ThrowsSayingHowToInstall()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Chromium.ExecutablePath([null, "", "/nonexistent/chromium"]));

        Assert.Contains("apt-get install -y chromium", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExecutablePath_FirstExisting_IsChosen()
    {
        var file = Path.GetTempFileName();
        try
        {
            Assert.Equal(file, Chromium.ExecutablePath(["/nonexistent/chromium", file]));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
