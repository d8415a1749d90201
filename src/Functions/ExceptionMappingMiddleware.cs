using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using UsageProcessor.Metering.Http;

namespace UsageProcessor.Functions;

/// <summary>Answers an exception in an HTTP function with the mapping both hosts share (<see cref="ExceptionProblems"/>); other triggers rethrow so the host retries.</summary>
/// <remarks>
/// Also gives an empty error answer a problem document. Requests that match no function (unknown route, wrong
/// method) and requests the front end rejects (such as %00 in the path) are answered by the Functions host itself
/// and never reach the worker, so their bodies are the host's, not ours.
/// </remarks>
public sealed class ExceptionMappingMiddleware(ExceptionProblems problems) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            await next(context);
            if (context.GetHttpContext() is { } answered)
            {
                await RouteProblems.WriteIfEmptyAsync(answered);
            }
        }
        catch (Exception e)
        {
            if (context.GetHttpContext() is not { } http || !await problems.TryAnswerAsync(http, e, context.FunctionDefinition.Name, context.InvocationId))
            {
                throw;
            }
        }
    }
}
