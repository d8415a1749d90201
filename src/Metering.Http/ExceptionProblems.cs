using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace UsageProcessor.Metering.Http;

/// <summary>The one mapping from an exception that escaped a route to its answer, used by both hosts' middleware.</summary>
/// <remarks>
/// A lost optimistic race is a 503 with <c>Retry-After</c> (<see cref="ApiProblems.ForException"/>); a cancellation
/// because the caller went away gets no answer (there is nobody to read it); anything else is a logged 500 problem
/// naming the invocation id, never the request body.
/// </remarks>
public sealed partial class ExceptionProblems(ILogger<ExceptionProblems> logger)
{
    /// <summary>Answers <paramref name="exception"/> on <paramref name="http"/>; false when it cannot (the answer has started), so the caller rethrows.</summary>
    public async Task<bool> TryAnswerAsync(HttpContext http, Exception exception, string functionName, string invocationId)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is OperationCanceledException && http.RequestAborted.IsCancellationRequested)
        {
            return true;
        }

        if (http.Response.HasStarted)
        {
            return false;
        }

        http.Response.Clear();
        if (ApiProblems.ForException(exception) is { } answer)
        {
            await answer.ExecuteAsync(http);
            return true;
        }

        LogUnhandled(exception, functionName, invocationId);
        await Results.Problem(
            title: "The request could not be completed.",
            detail: "An unexpected error occurred; it has been logged with the invocation id.",
            statusCode: StatusCodes.Status500InternalServerError,
            extensions: new Dictionary<string, object?> { ["invocationId"] = invocationId })
            .ExecuteAsync(http);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Function {FunctionName} failed (invocation {InvocationId})")]
    private partial void LogUnhandled(Exception exception, string functionName, string invocationId);
}
