using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace UsageProcessor.Metering.Http;

/// <summary>Who may call a route: anyone, or a caller presenting a function key.</summary>
public enum RouteAccess
{
    /// <summary>No key needed (health, the OpenAPI document).</summary>
    Anonymous,

    /// <summary>A function key in <c>x-functions-key</c> or <c>code</c>.</summary>
    FunctionKey,
}

/// <summary>Handles one call of a route and returns its answer.</summary>
public delegate Task<IResult> RouteHandler(RouteCall call);

/// <summary>One call of a route: the request, its route values by name, and the caller's cancellation.</summary>
/// <param name="Request">The ASP.NET Core request, the same type in both hosts.</param>
/// <param name="Values">The route template's parameters, by name.</param>
/// <param name="Aborted">Cancelled when the caller goes away.</param>
public sealed record RouteCall(HttpRequest Request, IReadOnlyDictionary<string, string> Values, CancellationToken Aborted)
{
    /// <summary>The value of the route parameter <paramref name="name"/>, empty when absent.</summary>
    public string this[string name] => Values.TryGetValue(name, out var value) ? value : string.Empty;

    /// <summary>A service of the request's container.</summary>
    public T Service<T>()
        where T : notnull => Request.HttpContext.RequestServices.GetRequiredService<T>();
}

/// <summary>A response header a route may send.</summary>
/// <param name="Name">The header's name.</param>
/// <param name="Description">What it carries.</param>
/// <param name="Type">The CLR type of its value (<see cref="string"/> or <see cref="int"/>).</param>
public sealed record AnswerHeader(string Name, string Description, Type Type);

/// <summary>Where an example comes from: the <paramref name="Index"/>-th code block of <paramref name="Language"/> under a heading of docs/api.md.</summary>
public sealed record DocExample(string Heading, int Index = 0, string Language = "json");

/// <summary>One answer a route gives: status, content type, body type and headers.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Description">When it is given.</param>
/// <param name="Body">The body's type, serialized with <see cref="ApiJson.Options"/>; null for no body or text.</param>
/// <param name="ContentType">The media type of the body.</param>
/// <param name="Headers">Headers sent with it.</param>
/// <param name="Example">Where its example is in docs/api.md, if it has one.</param>
public sealed record RouteAnswer(
    int Status,
    string Description,
    Type? Body,
    string ContentType = RouteAnswer.Json,
    IReadOnlyList<AnswerHeader>? Headers = null,
    DocExample? Example = null)
{
    /// <summary>The media type of JSON answers.</summary>
    public const string Json = "application/json";

    /// <summary>The media type of problem documents.</summary>
    public const string ProblemJson = "application/problem+json";

    /// <summary>The media type of the usage CSV.</summary>
    public const string Csv = "text/csv";

    /// <summary>The media type of the usage pages and printable statements.</summary>
    public const string Html = "text/html";
}

/// <summary>A query parameter a route reads.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Description">What it selects.</param>
/// <param name="Type">The CLR type of its value (<see cref="string"/> or <see cref="int"/>).</param>
/// <param name="Pattern">A regular expression its text must match, if any.</param>
/// <param name="Minimum">The smallest value of an integer.</param>
/// <param name="Maximum">The largest value of an integer.</param>
public sealed record QueryParameter(string Name, string Description, Type Type, string? Pattern = null, int? Minimum = null, int? Maximum = null);

/// <summary>The body a route reads.</summary>
/// <param name="Type">The body's type. Handlers read the body field by field, to name every bad field; this is its schema.</param>
/// <param name="Required">Whether a body must be sent.</param>
/// <param name="Examples">The curl commands of docs/api.md whose <c>-d</c> body is an example of it.</param>
/// <param name="MaxItems">When set, the body may also be an array of 1 to this many items.</param>
public sealed record RequestBodyShape(Type Type, bool Required = true, IReadOnlyList<DocExample>? Examples = null, int? MaxItems = null)
{
    /// <summary>Further media types the body may take besides JSON, each with its own schema.</summary>
    public IReadOnlyList<RequestMedia> OtherMedia { get; init; } = [];
}

/// <summary>A further media type of a request body.</summary>
/// <param name="ContentType">The media type.</param>
/// <param name="Item">The schema of the body, or of each item when <paramref name="MaxItems"/> is set; null for text described in words.</param>
/// <param name="MaxItems">When set, the body is an array of 1 to this many items.</param>
/// <param name="Description">What the body holds, for media whose schema cannot say it (lines of JSON).</param>
public sealed record RequestMedia(string ContentType, Type? Item, int? MaxItems = null, string? Description = null);

/// <summary>One HTTP route of the product, as both hosts expose it under <c>/api</c>: its contract and its handler.</summary>
/// <param name="Name">The function's name, the same in both hosts.</param>
/// <param name="Method">The HTTP method, upper case.</param>
/// <param name="Template">The route template without the <c>api/</c> prefix.</param>
/// <param name="Summary">One line for the OpenAPI document.</param>
/// <param name="Access">Who may call it.</param>
/// <param name="Handler">What answers it.</param>
/// <param name="Answers">Every answer it gives besides the 401 of keyed routes, which the table adds.</param>
public sealed partial record ApiRoute(
    string Name,
    string Method,
    string Template,
    string Summary,
    RouteAccess Access,
    RouteHandler Handler,
    IReadOnlyList<RouteAnswer> Answers)
{
    /// <summary>The body it reads, if any.</summary>
    public RequestBodyShape? Body { get; init; }

    /// <summary>The query parameters it reads.</summary>
    public IReadOnlyList<QueryParameter> Query { get; init; } = [];

    /// <summary>The names of the template's parameters, in order.</summary>
    public IReadOnlyList<string> Parameters => [.. TemplateParameter().Matches(Template).Select(m => m.Groups[1].Value)];

    /// <summary>The path both hosts serve it at, such as <c>/api/accounts/{accountId}</c>.</summary>
    public string Path => $"/{ApiRoutes.Prefix}/{Template}";

    /// <summary>Calls the handler with the template's parameter values in template order (a Functions class passes its bound parameters).</summary>
    public Task<IResult> InvokeAsync(HttpRequest request, CancellationToken aborted, params string[] values)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(values);
        var names = Parameters;
        if (names.Count != values.Length)
        {
            throw new ArgumentException($"Route {Name} takes {names.Count} route values ({string.Join(", ", names)}); got {values.Length}.", nameof(values));
        }

        var map = new Dictionary<string, string>(names.Count, StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            map[names[i]] = values[i];
        }

        return Handler(new RouteCall(request, map, aborted));
    }

    [GeneratedRegex(@"\{([A-Za-z]+)\}")]
    private static partial Regex TemplateParameter();
}
