using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using UsageProcessor.Metering.Ingestion;

namespace UsageProcessor.Metering.Http;

/// <summary>
/// The one request binder: reads a JSON body once, with a size cap, and answers either the bound request or one
/// RFC 7807 problem naming the body's reason (missing, too large, not JSON, not an object) or every bad field,
/// the route's own bad values (such as the account id) among them.
/// </summary>
internal static class RequestBody
{
    /// <summary>The largest body accepted: a 1,000-job quote fits comfortably.</summary>
    public const int MaxBytes = 1024 * 1024;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 16, AllowDuplicateProperties = false };

    /// <summary>Binds a body of <typeparamref name="TBody"/>; <paramref name="routeErrors"/> are the route's own bad values, named in the same problem.</summary>
    public static Task<Bound<TBound>> BindAsync<TBody, TBound>(HttpRequest request, IReadOnlyList<FieldError> routeErrors, CancellationToken cancellationToken)
        where TBody : IRequestBody<TBound>
        where TBound : class =>
        BindObjectAsync(request, routeErrors, TBody.Example, TBody.InvalidTitle, TBody.Bind, cancellationToken);

    /// <summary>Binds a body of <typeparamref name="TBody"/> whose checks read <paramref name="rules"/>.</summary>
    public static Task<Bound<TBound>> BindAsync<TBody, TBound, TRules>(
        HttpRequest request, TRules rules, IReadOnlyList<FieldError> routeErrors, CancellationToken cancellationToken)
        where TBody : IRequestBody<TBound, TRules>
        where TBound : class =>
        BindObjectAsync(request, routeErrors, TBody.Example, TBody.InvalidTitle, body => TBody.Bind(body, rules), cancellationToken);

    /// <summary>
    /// Binds an optional body of <typeparamref name="TBody"/>: null when the request carries no bytes or an empty object. Whether a body
    /// was sent is decided by reading it, never by the headers: a chunked body has no <c>Content-Length</c>, and
    /// the <c>Content-Type</c> is not checked.
    /// </summary>
    public static async Task<Bound<TBound>?> BindOptionalAsync<TBody, TBound, TRules>(
        HttpRequest request, TRules rules, IReadOnlyList<FieldError> routeErrors, CancellationToken cancellationToken)
        where TBody : IRequestBody<TBound, TRules>
        where TBound : class
    {
        ArgumentNullException.ThrowIfNull(request);
        var (document, bodyErrors) = await ReadJsonAsync(request, cancellationToken, optional: true);
        using (document)
        {
            // An empty object is no body too: generated clients (Kiota) send one where a body is optional.
            return bodyErrors is null && (document is null || document.RootElement is { ValueKind: JsonValueKind.Object } root && !root.EnumerateObject().Any())
                ? null
                : bodyErrors is not null
                    ? new(null, ApiProblems.Invalid([.. routeErrors, .. bodyErrors]))
                    : Bind(document!.RootElement, routeErrors, TBody.Example, TBody.InvalidTitle, body => TBody.Bind(body, rules));
        }
    }

    /// <summary>
    /// Binds one <typeparamref name="TBody"/> object, or an array of 1 to <paramref name="maxItems"/> of them whose bad
    /// fields are named <c>[i].field</c>; <see cref="BoundItems{T}.IsArray"/> says which was sent.
    /// </summary>
    public static async Task<BoundItems<TBound>> BindOneOrManyAsync<TBody, TBound, TRules>(
        HttpRequest request, TRules rules, IReadOnlyList<FieldError> routeErrors, int maxItems, string invalidItemsTitle, CancellationToken cancellationToken)
        where TBody : IRequestBody<TBound, TRules>
        where TBound : class
    {
        ArgumentNullException.ThrowIfNull(request);
        var (document, bodyErrors) = await ReadJsonAsync(request, cancellationToken);
        using (document)
        {
            if (bodyErrors is not null)
            {
                return new(null, false, ApiProblems.Invalid([.. routeErrors, .. bodyErrors]));
            }

            var root = document!.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                var (one, problem) = Bind(root, routeErrors, TBody.Example, TBody.InvalidTitle, body => TBody.Bind(body, rules));
                return new(one is null ? null : [one], false, problem);
            }

            var count = root.GetArrayLength();
            if (count is 0 || count > maxItems)
            {
                return new(null, true, ApiProblems.Invalid([.. routeErrors, new FieldError("$", $"an array must hold 1 to {maxItems} jobs; got {count}.")]));
            }

            var errors = new List<FieldError>();
            var items = new List<TBound>(count);
            var index = 0;
            foreach (var item in root.EnumerateArray())
            {
                var prefix = string.Create(CultureInfo.InvariantCulture, $"[{index++}].");
                if (item.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(new FieldError(prefix + "$", $"must be a JSON object such as {TBody.Example}."));
                    continue;
                }

                var fields = new BodyFields(item, prefix);
                if (TBody.Bind(fields, rules) is { } bound && fields.Valid)
                {
                    items.Add(bound);
                }

                errors.AddRange(fields.Errors);
            }

            return routeErrors.Count == 0 && errors.Count == 0
                ? new(items, true, null)
                : new(null, true, ApiProblems.Invalid([.. routeErrors, .. errors], errors.Count > 0 ? invalidItemsTitle : ApiProblems.InvalidTitle));
        }
    }

    private static async Task<Bound<TBound>> BindObjectAsync<TBound>(
        HttpRequest request, IReadOnlyList<FieldError> routeErrors, string example, string invalidTitle, Func<BodyFields, TBound?> bind,
        CancellationToken cancellationToken)
        where TBound : class
    {
        ArgumentNullException.ThrowIfNull(request);
        var (document, bodyErrors) = await ReadJsonAsync(request, cancellationToken);
        using (document)
        {
            return bodyErrors is not null
                ? new(null, ApiProblems.Invalid([.. routeErrors, .. bodyErrors]))
                : Bind(document!.RootElement, routeErrors, example, invalidTitle, bind);
        }
    }

    private static Bound<TBound> Bind<TBound>(
        JsonElement root, IReadOnlyList<FieldError> routeErrors, string example, string invalidTitle, Func<BodyFields, TBound?> bind)
        where TBound : class
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return new(null, ApiProblems.Invalid([.. routeErrors, new FieldError("$", $"must be a JSON object such as {example}.")]));
        }

        var fields = new BodyFields(root);
        var bound = bind(fields);
        if (fields.Valid && routeErrors.Count == 0)
        {
            return bound is not null
                ? new(bound, null)
                : throw new InvalidOperationException($"Binding {typeof(TBound).Name} refused the body without naming a field.");
        }

        return new(null, ApiProblems.Invalid([.. routeErrors, .. fields.Errors], fields.Valid ? ApiProblems.InvalidTitle : invalidTitle));
    }

    // The body's text as a JSON document whose every string is text, or the errors that name why there is none;
    // neither when an optional body is empty.
    private static async Task<(JsonDocument? Document, IReadOnlyList<FieldError>? Errors)> ReadJsonAsync(
        HttpRequest request, CancellationToken cancellationToken, bool optional = false)
    {
        var tooLarge = new FieldError("$", $"the body must be at most {MaxBytes} bytes.");
        if (request.ContentLength > MaxBytes)
        {
            return (null, [tooLarge]);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return (null, [tooLarge]);
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return optional ? (null, null) : (null, [new FieldError("$", "a JSON body is required.")]);
        }

        // The one check of every string a request holds: a lone surrogate escape would throw wherever it is read.
        return JsonText.TryParse(buffer.ToArray(), Options, out var document, out var errors)
            ? (document, null)
            : (null, errors);
    }
}

/// <summary>Bound items of a body that may be one object or an array, or the problem to answer instead.</summary>
/// <param name="Items">The bound items in body order; null exactly when <paramref name="Problem"/> is set.</param>
/// <param name="IsArray">Whether the body was an array (a one-item array still answers as a batch).</param>
/// <param name="Problem">The 400 naming the body's reason or every bad field.</param>
internal readonly record struct BoundItems<T>(IReadOnlyList<T>? Items, bool IsArray, Microsoft.AspNetCore.Http.IResult? Problem);
