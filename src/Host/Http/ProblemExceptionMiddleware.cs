using UsageProcessor.Metering.Http;

namespace UsageProcessor.Host.Http;

/// <summary>Answers an exception that escaped a request with the mapping both hosts share (<see cref="ExceptionProblems"/>).</summary>
public sealed class ProblemExceptionMiddleware(RequestDelegate next, ExceptionProblems problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await next(context);
        }
        catch (Exception e)
        {
            var function = context.GetEndpoint()?.Metadata.GetMetadata<ApiRoute>()?.Name ?? "(no function)";
            if (!await problems.TryAnswerAsync(context, e, function, context.TraceIdentifier))
            {
                throw;
            }
        }
    }
}
