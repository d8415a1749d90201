namespace UsageProcessor.Metering.Http;

/// <summary>
/// A request body's record (its wire shape, and the OpenAPI schema) that binds itself: it reads every field, checks
/// each, names every bad one, and turns a valid body into the request its handler acts on.
/// </summary>
/// <typeparam name="TBound">What a valid body becomes, such as the domain request the handler passes on.</typeparam>
/// <remarks><see cref="RequestBody.BindAsync{TBody, TBound}"/> reads the body once and answers one problem for all.</remarks>
internal interface IRequestBody<TBound>
    where TBound : class
{
    /// <summary>A valid body, shown when the JSON is not an object.</summary>
    static abstract string Example { get; }

    /// <summary>The title of the problem that lists the bad fields.</summary>
    static virtual string InvalidTitle => ApiProblems.InvalidTitle;

    /// <summary>Reads and checks every field of <paramref name="body"/>; null when any is bad, each named in <see cref="BodyFields.Errors"/>.</summary>
    static abstract TBound? Bind(BodyFields body);
}

/// <summary>An <see cref="IRequestBody{TBound}"/> whose checks need something the handler holds (a catalog, a price book, options).</summary>
/// <typeparam name="TBound">What a valid body becomes.</typeparam>
/// <typeparam name="TRules">What the checks read besides the body.</typeparam>
internal interface IRequestBody<TBound, in TRules>
    where TBound : class
{
    /// <summary>A valid body, shown when the JSON is not an object.</summary>
    static abstract string Example { get; }

    /// <summary>The title of the problem that lists the bad fields.</summary>
    static virtual string InvalidTitle => ApiProblems.InvalidTitle;

    /// <summary>Reads and checks every field of <paramref name="body"/> against <paramref name="rules"/>; null when any is bad.</summary>
    static abstract TBound? Bind(BodyFields body, TRules rules);
}

/// <summary>A bound request body, or the problem to answer instead.</summary>
/// <param name="Body">The bound request; null exactly when <paramref name="Problem"/> is set.</param>
/// <param name="Problem">The 400 naming the body's reason or every bad field (the route's own among them).</param>
internal readonly record struct Bound<T>(T? Body, Microsoft.AspNetCore.Http.IResult? Problem)
    where T : class;
