using UsageProcessor.Metering.Api;

namespace UsageProcessor.Host.Http;

/// <summary>Turns an unexpected exception in a request into an RFC 7807 500 answer, as the Functions app's middleware does.</summary>
/// <remarks>The log names the function and the request id, never the request body.</remarks>
public sealed partial class ProblemExceptionMiddleware(RequestDelegate next, ILogger<ProblemExceptionMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away; there is nobody to answer.
        }
        catch (Exception e) when (!context.Response.HasStarted && ApiProblems.ForException(e) is { } answer)
        {
            context.Response.Clear();
            await answer.ExecuteAsync(context);
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            var function = context.GetEndpoint()?.Metadata.GetMetadata<ApiRoute>()?.Name ?? "(no function)";
            LogUnhandled(e, function, context.TraceIdentifier);
            context.Response.Clear();
            await Results.Problem(
                title: "The request could not be completed.",
                detail: "An unexpected error occurred; it has been logged with the invocation id.",
                statusCode: StatusCodes.Status500InternalServerError,
                extensions: new Dictionary<string, object?> { ["invocationId"] = context.TraceIdentifier })
                .ExecuteAsync(context);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Function {FunctionName} failed (invocation {InvocationId})")]
    private partial void LogUnhandled(Exception exception, string functionName, string invocationId);
}
