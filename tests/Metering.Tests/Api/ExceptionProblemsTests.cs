using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using UsageProcessor.Metering.Http;

namespace UsageProcessor.Metering.Tests.Api;

/// <summary>The one exception-to-answer mapping both hosts' middleware call.</summary>
public sealed class ExceptionProblemsTests
{
    private readonly ExceptionProblems _problems = new(NullLogger<ExceptionProblems>.Instance);

    [Fact]
    public async Task TryAnswerAsync_CallerWentAway_AnswersNothing()
    {
        using var aborted = new CancellationTokenSource();
        var context = Context();
        context.RequestAborted = aborted.Token;
        await aborted.CancelAsync();

        var handled = await _problems.TryAnswerAsync(context, new OperationCanceledException(aborted.Token), "GetBalance", "inv-1");

        Assert.True(handled);
        Assert.Equal(0, context.Response.Body.Length);
        Assert.Null(context.Response.ContentType);
    }

    [Fact]
    public async Task TryAnswerAsync_CancellationWhileCallerStillWaits_Answers500()
    {
        var context = Context();

        await _problems.TryAnswerAsync(context, new OperationCanceledException(), "GetBalance", "inv-2");

        Assert.Equal(StatusCodes.Status500InternalServerError, context.Response.StatusCode);
        Assert.Equal("inv-2", (await BodyAsync(context)).GetProperty("invocationId").GetString());
    }

    [Fact]
    public async Task TryAnswerAsync_LostOptimisticRace_Answers503WithRetryAfter()
    {
        var context = Context();

        await _problems.TryAnswerAsync(context, new UsageProcessor.Metering.Storage.ContentionException("acct-busy", new InvalidOperationException("etag")), "AddCredits", "inv-3");

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal("1", context.Response.Headers.RetryAfter.ToString());
    }

    [Fact]
    public async Task TryAnswerAsync_UnexpectedException_Answers500WithoutItsMessage()
    {
        var context = Context();

        await _problems.TryAnswerAsync(context, new InvalidOperationException("secret detail"), "GetBalance", "inv-4");

        var body = await BodyAsync(context);
        Assert.Equal(500, body.GetProperty("status").GetInt32());
        Assert.DoesNotContain("secret detail", body.GetRawText(), StringComparison.Ordinal);
    }

    private static DefaultHttpContext Context()
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().AddOptions().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static async Task<JsonElement> BodyAsync(HttpContext context)
    {
        context.Response.Body.Position = 0;
        using var document = await JsonDocument.ParseAsync(context.Response.Body);
        return document.RootElement.Clone();
    }
}
