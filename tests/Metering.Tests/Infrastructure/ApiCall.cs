using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace UsageProcessor.Metering.Tests.Infrastructure;

/// <summary>An answer of an endpoint, captured from a real ASP.NET Core response.</summary>
public sealed record ApiResponse(int Status, IHeaderDictionary Headers, string Body, string? ContentType)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>The reasons a problem answer gives for <paramref name="field"/>.</summary>
    public IReadOnlyList<string> ErrorsFor(string field) =>
        Json.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out var reasons)
            ? [.. reasons.EnumerateArray().Select(r => r.GetString()!)]
            : [];
}

/// <summary>Calls an endpoint's core method with a real <see cref="HttpRequest"/> and executes its result into a response.</summary>
public static class ApiCall
{
    public static async Task<ApiResponse> InvokeAsync(
        IServiceProvider services,
        Func<HttpRequest, Task<IResult>> endpoint,
        string method = "GET",
        string? body = null,
        string? query = null,
        IDictionary<string, string>? headers = null,
        bool chunked = false)
    {
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("127.0.0.1");
        if (query is not null)
        {
            context.Request.QueryString = new QueryString(query.StartsWith('?') ? query : "?" + query);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            context.Request.Headers[name] = value;
        }

        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            if (!chunked)
            {
                context.Request.ContentLength = bytes.Length;
                context.Request.ContentType = "application/json";
            }
            else
            {
                // As a server sees a body sent with Transfer-Encoding: chunked and no Content-Type: no length, no type.
                context.Request.Headers.TransferEncoding = "chunked";
            }
        }

        var responseBody = new MemoryStream();
        context.Response.Body = responseBody;
        var result = await endpoint(context.Request);
        await result.ExecuteAsync(context);
        return new ApiResponse(context.Response.StatusCode, context.Response.Headers, Encoding.UTF8.GetString(responseBody.ToArray()),
            context.Response.ContentType);
    }

    /// <summary>Calls an endpoint with a raw body of <paramref name="contentType"/> (and headers such as Content-Encoding).</summary>
    public static async Task<ApiResponse> InvokeBytesAsync(
        IServiceProvider services,
        Func<HttpRequest, Task<IResult>> endpoint,
        byte[] body,
        string? contentType,
        IDictionary<string, string>? headers = null)
    {
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = "POST";
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("127.0.0.1");
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = body.Length;
        context.Request.ContentType = contentType;
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            context.Request.Headers[name] = value;
        }

        var responseBody = new MemoryStream();
        context.Response.Body = responseBody;
        var result = await endpoint(context.Request);
        await result.ExecuteAsync(context);
        return new ApiResponse(context.Response.StatusCode, context.Response.Headers, Encoding.UTF8.GetString(responseBody.ToArray()),
            context.Response.ContentType);
    }
}
