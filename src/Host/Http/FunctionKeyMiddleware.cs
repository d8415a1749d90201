using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using UsageProcessor.Host.Hosting;
using UsageProcessor.Metering.Http;

namespace UsageProcessor.Host.Http;

/// <summary>Function-level authorization as the Functions host does it: a key in <c>x-functions-key</c> or <c>?code=</c>.</summary>
/// <remarks>
/// Routes whose <see cref="ApiRoute.Access"/> is anonymous pass; any other route, and any self-host endpoint marked
/// <see cref="FunctionKeyRequired"/>, without a valid key gets a 401.
/// </remarks>
public sealed class FunctionKeyMiddleware(RequestDelegate next, IOptions<SelfHostOptions> options)
{
    /// <summary>The header carrying the key.</summary>
    public const string HeaderName = "x-functions-key";

    /// <summary>The query parameter carrying the key.</summary>
    public const string QueryName = "code";

    private readonly byte[][] _keys = [.. options.Value.FunctionKeys
        .Where(k => !string.IsNullOrWhiteSpace(k))
        .Select(Encoding.UTF8.GetBytes)];

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var metadata = context.GetEndpoint()?.Metadata;
        var keyed = metadata?.GetMetadata<ApiRoute>() is { Access: not RouteAccess.Anonymous } || metadata?.GetMetadata<FunctionKeyRequired>() is not null;
        if (!keyed || IsValid(context.Request.Headers[HeaderName]) || IsValid(context.Request.Query[QueryName]))
        {
            return next(context);
        }

        return Results.Problem(
            title: "Unauthorized.",
            detail: $"This route needs a function key in the '{HeaderName}' header or the '{QueryName}' query parameter.",
            statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(context);
    }

    private bool IsValid(Microsoft.Extensions.Primitives.StringValues presented)
    {
        if (presented.Count != 1 || string.IsNullOrEmpty(presented[0]))
        {
            return false;
        }

        var bytes = Encoding.UTF8.GetBytes(presented[0]!);
        var match = false;
        foreach (var key in _keys)
        {
            match |= CryptographicOperations.FixedTimeEquals(bytes, key);
        }

        return match;
    }
}

/// <summary>Endpoint metadata: a self-host endpoint outside the route table that needs the function key all the same.</summary>
public sealed class FunctionKeyRequired
{
    /// <summary>The one instance endpoints carry.</summary>
    public static FunctionKeyRequired Instance { get; } = new();
}
