using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace UsageProcessor.Metering.Http;

/// <summary>RFC 7807 bodies for the answers a host gives on its own, before any route runs: unknown route, wrong method, unreadable request.</summary>
/// <remarks>Both hosts call <see cref="WriteIfEmptyAsync"/> after their pipeline, so no error answer leaves with an empty body.</remarks>
public static class RouteProblems
{
    private static readonly (ApiRoute Route, TemplateMatcher Matcher)[] Matchers =
        [.. ApiRoutes.All.Select(r => (r, new TemplateMatcher(TemplateParser.Parse($"{ApiRoutes.Prefix}/{r.Template}"), new RouteValueDictionary())))];

    /// <summary>Writes a problem document when the answer is an error whose body nobody wrote.</summary>
    public static async Task WriteIfEmptyAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        if (response.HasStarted || response.StatusCode < 400 || response.ContentLength is > 0 || !string.IsNullOrEmpty(response.ContentType))
        {
            return;
        }

        await For(context.Request, response.StatusCode).ExecuteAsync(context);
    }

    /// <summary>The problem answer for <paramref name="status"/> given to <paramref name="request"/>.</summary>
    public static IResult For(HttpRequest request, int status)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = request.Path.HasValue ? request.Path.Value! : "/";
        switch (status)
        {
            case StatusCodes.Status404NotFound:
                return Results.Problem(title: "Not found.", statusCode: status,
                    detail: $"No route matches {request.Method} {path}; every route is listed in /{ApiRoutes.Prefix}/{ApiRoutes.OpenApi}.");

            case StatusCodes.Status405MethodNotAllowed:
                var allowed = AllowedMethods(path);
                if (allowed.Count > 0)
                {
                    request.HttpContext.Response.Headers.Allow = string.Join(", ", allowed);
                }

                return Results.Problem(title: "Method not allowed.", statusCode: status,
                    detail: allowed.Count > 0
                        ? $"{path} does not accept {request.Method}; it accepts {string.Join(", ", allowed)}."
                        : $"{path} does not accept {request.Method}.");

            case StatusCodes.Status400BadRequest:
                return Results.Problem(title: "Bad request.", statusCode: status,
                    detail: "The request could not be read: check the path for characters that are not allowed (such as %00), the headers and the body.");

            default:
                return Results.Problem(statusCode: status);
        }
    }

    /// <summary>The methods the route matching <paramref name="path"/> accepts, from the one list of routes.</summary>
    public static IReadOnlyList<string> AllowedMethods(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var methods = new List<string>();
        foreach (var (route, matcher) in Matchers)
        {
            if (matcher.TryMatch(path, new RouteValueDictionary()) && !methods.Contains(route.Method))
            {
                methods.Add(route.Method);
            }
        }

        return methods;
    }
}
