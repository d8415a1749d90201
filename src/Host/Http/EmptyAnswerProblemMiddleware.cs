using UsageProcessor.Metering.Http;

namespace UsageProcessor.Host.Http;

/// <summary>Gives routing's own answers (404 unknown route, 405 wrong method, 400) an RFC 7807 body instead of an empty one.</summary>
public sealed class EmptyAnswerProblemMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await next(context);
        await RouteProblems.WriteIfEmptyAsync(context);
    }
}
