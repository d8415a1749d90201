namespace UsageProcessor.Metering.Api;

/// <summary>Who may call a route: anyone, or a caller presenting a function key.</summary>
public enum RouteAccess
{
    /// <summary>No key needed (health, the OpenAPI document).</summary>
    Anonymous,

    /// <summary>A function key in <c>x-functions-key</c> or <c>code</c>.</summary>
    FunctionKey,
}

/// <summary>One HTTP route of the product, as both hosts expose it under <c>/api</c>.</summary>
/// <param name="Name">The function's name, the same in both hosts.</param>
/// <param name="Method">The HTTP method, upper case.</param>
/// <param name="Template">The route template without the <c>api/</c> prefix.</param>
/// <param name="Summary">One line for the OpenAPI document.</param>
/// <param name="Access">Who may call it.</param>
public sealed record ApiRoute(string Name, string Method, string Template, string Summary, RouteAccess Access = RouteAccess.FunctionKey);
