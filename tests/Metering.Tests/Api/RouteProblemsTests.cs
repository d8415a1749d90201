using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using UsageProcessor.Metering.Http;

namespace UsageProcessor.Metering.Tests.Api;

public sealed class RouteProblemsTests
{
    private static async Task<(HttpContext Context, string Body)> AnswerAsync(string method, string path, int status)
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Request.Method = method;
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();
        context.Response.StatusCode = status;

        await RouteProblems.WriteIfEmptyAsync(context);

        return (context, Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()));
    }

    [Theory]
    [InlineData("GET", "/api/nope", 404, "No route matches GET /api/nope")]
    [InlineData("DELETE", "/api/quote", 405, "it accepts POST")]
    [InlineData("PATCH", "/api/accounts/acme/alert-subscriptions", 405, "it accepts POST, GET")]
    [InlineData("GET", "/api/accounts/acme/balance", 400, "could not be read")]
    public async Task WriteIfEmptyAsync_EmptyErrorAnswer_GetsAProblemDocument(string method, string path, int status, string detail)
    {
        var (context, body) = await AnswerAsync(method, path, status);

        Assert.Equal(status, context.Response.StatusCode);
        Assert.Equal("application/problem+json", context.Response.ContentType);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains(detail, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteIfEmptyAsync_WrongMethod_SetsAllowFromTheRouteList()
    {
        var (context, _) = await AnswerAsync("PUT", "/api/accounts/acme/balance", 405);

        Assert.Equal("GET", context.Response.Headers.Allow.ToString());
    }

    [Fact]
    public async Task WriteIfEmptyAsync_SuccessfulAnswer_IsLeftAlone()
    {
        var (_, body) = await AnswerAsync("GET", "/api/health", 200);

        Assert.Empty(body);
    }

    [Theory]
    [InlineData("/api/accounts/a/alert-subscriptions/sub_1", "DELETE")]
    [InlineData("/api/accounts/a", "PUT,GET")]
    [InlineData("/api/unknown", "")]
    public void AllowedMethods_Path_ComeFromApiRoutes(string path, string methods)
    {
        Assert.Equal(methods, string.Join(',', RouteProblems.AllowedMethods(path)));
    }
}
