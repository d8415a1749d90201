using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;
using UsageProcessor.Metering.Api;

namespace UsageProcessor.Functions;

/// <summary>Turns an unexpected exception in an HTTP function into an RFC 7807 answer; other triggers rethrow so the host retries.</summary>
/// <remarks>
/// Also gives an empty error answer a problem document. Requests that match no function (unknown route, wrong
/// method) and requests the front end rejects (such as %00 in the path) are answered by the Functions host itself
/// and never reach the worker, so their bodies are the host's, not ours.
/// </remarks>
public sealed partial class ExceptionMappingMiddleware(ILogger<ExceptionMappingMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            await next(context);
            // An error status whose body nobody wrote gets a problem document. Unknown routes and wrong methods never
            // get here: the Functions host answers them itself, before any worker code runs.
            if (context.GetHttpContext() is { } answered)
            {
                await RouteProblems.WriteIfEmptyAsync(answered);
            }
        }
        catch (Exception e) when (context.GetHttpContext() is { Response.HasStarted: false } http && ApiProblems.ForException(e) is { } answer)
        {
            await answer.ExecuteAsync(http);
        }
        catch (Exception e) when (context.GetHttpContext() is { Response.HasStarted: false } http)
        {
            LogUnhandled(e, context.FunctionDefinition.Name, context.InvocationId);
            http.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await Results.Problem(
                title: "The request could not be completed.",
                detail: "An unexpected error occurred; it has been logged with the invocation id.",
                statusCode: StatusCodes.Status500InternalServerError,
                extensions: new Dictionary<string, object?> { ["invocationId"] = context.InvocationId })
                .ExecuteAsync(http);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Function {FunctionName} failed (invocation {InvocationId})")]
    private partial void LogUnhandled(Exception exception, string functionName, string invocationId);
}
