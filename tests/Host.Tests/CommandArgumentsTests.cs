using UsageProcessor.Host.Commands;

namespace UsageProcessor.Host.Tests;

public sealed class CommandArgumentsTests
{
    private static readonly string[] Valued = ["connection", "limit", "id"];
    private static readonly string[] Flags = ["shift-to-today", "no-shift-to-today"];

    [Fact]
    public void Parse_MixedWords_SplitsPositionalAndOptions()
    {
        var parsed = CommandArguments.Parse(["send", "day.jsonl", "--connection", "cs=1;x=2", "--limit=5"], Valued, Flags);

        Assert.Equal(["send", "day.jsonl"], parsed.Positional);
        Assert.Equal("cs=1;x=2", parsed.Value("connection"));
        Assert.Equal(5, parsed.PositiveInt("limit", 1000));
        Assert.Equal(1000, CommandArguments.Parse([], Valued, Flags).PositiveInt("limit", 1000));
    }

    [Theory]
    [InlineData(new string[0], true)]
    [InlineData(new[] { "--shift-to-today" }, true)]
    [InlineData(new[] { "--shift-to-today=false" }, false)]
    [InlineData(new[] { "--no-shift-to-today" }, false)]
    public void Switch_Forms_AreRead(string[] args, bool expected)
    {
        Assert.Equal(expected, CommandArguments.Parse(args, Valued, Flags).Switch("shift-to-today", fallback: true));
    }

    [Theory]
    [InlineData("--unknown")]
    [InlineData("--connection")]
    public void Parse_BadOption_Throws(string arg)
    {
        Assert.Throws<CommandLineException>(() => CommandArguments.Parse([arg], Valued, Flags));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("ten")]
    public void PositiveInt_NotAPositiveWholeNumber_Throws(string value)
    {
        var parsed = CommandArguments.Parse(["--limit", value], Valued, Flags);

        Assert.Throws<CommandLineException>(() => parsed.PositiveInt("limit", 1));
    }

    [Theory]
    [InlineData(new[] { "send", "x" }, true)]
    [InlineData(new[] { "replay", "poison" }, true)]
    [InlineData(new[] { "--urls", "http://127.0.0.1:1" }, false)]
    [InlineData(new string[0], false)]
    public void IsCommand_FirstWord_DecidesBetweenCommandAndHost(string[] args, bool expected)
    {
        Assert.Equal(expected, HostCommands.IsCommand(args));
    }

    [Fact]
    public void Render_Progress_DrawsBarCountAndShare()
    {
        Assert.Equal("[###############...............] 150/300  50%", ProgressBar.Render(150, 0, 300));
        Assert.Equal("[##############################] 3/3 100%  (1 failed)", ProgressBar.Render(3, 1, 3));
    }
}
