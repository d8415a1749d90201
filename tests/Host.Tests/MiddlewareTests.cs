using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using UsageProcessor.Host.Hosting;
using UsageProcessor.Host.Http;
using UsageProcessor.Metering.Http;

namespace UsageProcessor.Host.Tests;

public sealed class MiddlewareTests
{
    private static readonly ApiRoute Protected = ApiRoutes.All.First(r => r.Access == RouteAccess.FunctionKey);
    private static readonly ApiRoute Open = ApiRoutes.All.First(r => r.Access == RouteAccess.Anonymous);

    [Theory]
    [InlineData(null, null, false)]
    [InlineData("dev-key", null, true)]
    [InlineData(null, "dev-key", true)]
    [InlineData("second-key", null, true)]
    [InlineData("dev-ke", null, false)]
    [InlineData("DEV-KEY", null, false)]
    [InlineData("wrong", "dev-key", true)]
    public async Task InvokeAsync_FunctionRoute_NeedsAConfiguredKey(string? header, string? code, bool admitted)
    {
        var context = Context(Protected);
        if (header is not null)
        {
            context.Request.Headers[FunctionKeyMiddleware.HeaderName] = header;
        }

        if (code is not null)
        {
            context.Request.QueryString = QueryString.Create(FunctionKeyMiddleware.QueryName, code);
        }

        var reached = await RunKeyMiddlewareAsync(context);

        Assert.Equal(admitted, reached);
        Assert.Equal(admitted ? StatusCodes.Status200OK : StatusCodes.Status401Unauthorized, context.Response.StatusCode);
    }

    [Fact]
    public async Task InvokeAsync_AnonymousRoute_NeedsNoKey()
    {
        var context = Context(Open);

        Assert.True(await RunKeyMiddlewareAsync(context));
    }

    [Fact]
    public async Task InvokeAsync_TwoKeyHeaders_AreRefused()
    {
        var context = Context(Protected);
        context.Request.Headers[FunctionKeyMiddleware.HeaderName] = new(["dev-key", "second-key"]);

        Assert.False(await RunKeyMiddlewareAsync(context));
    }

    [Fact]
    public async Task InvokeAsync_UnexpectedException_AnswersProblem500WithInvocationId()
    {
        var context = Context(Protected);
        context.TraceIdentifier = "trace-42";
        var middleware = new ProblemExceptionMiddleware(_ => throw new InvalidOperationException("secret detail"), new ExceptionProblems(NullLogger<ExceptionProblems>.Instance));

        await middleware.InvokeAsync(context);

        Assert.Equal(StatusCodes.Status500InternalServerError, context.Response.StatusCode);
        Assert.StartsWith("application/problem+json", context.Response.ContentType, StringComparison.Ordinal);
        context.Response.Body.Position = 0;
        using var body = await JsonDocument.ParseAsync(context.Response.Body);
        Assert.Equal("trace-42", body.RootElement.GetProperty("invocationId").GetString());
        Assert.DoesNotContain("secret detail", body.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    private static async Task<bool> RunKeyMiddlewareAsync(HttpContext context)
    {
        var reached = false;
        var options = new SelfHostOptions();
        options.FunctionKeys.Add("dev-key");
        options.FunctionKeys.Add("second-key");
        var middleware = new FunctionKeyMiddleware(_ => { reached = true; return Task.CompletedTask; }, Options.Create(options));

        await middleware.InvokeAsync(context);
        return reached;
    }

    private static DefaultHttpContext Context(ApiRoute route)
    {
        var services = new ServiceCollection().AddLogging().AddOptions().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = new MemoryStream();
        context.SetEndpoint(new Endpoint(null, new EndpointMetadataCollection(route), route.Name));
        return context;
    }
}
