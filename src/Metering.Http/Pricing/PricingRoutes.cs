using static UsageProcessor.Metering.Http.RouteParts;

namespace UsageProcessor.Metering.Http.Pricing;

/// <summary>This feature's part of the route table, composed into <see cref="ApiRoutes.All"/>. Quoting jobs and listing the price book versions.</summary>
public static class PricingRoutes
{
    public static ApiRoute QuoteJobs { get; } = new(
        "QuoteJobs", "POST", ApiRoutes.Quote, "Price one job or up to 1,000 jobs without an account.", RouteAccess.FunctionKey,
        call => call.Service<QuoteApi>().QuoteAsync(call.Request, call.Aborted),
        [
            new(200, "The price of the job.", typeof(JobQuote), Example: new("One job")),
            new(200, "The prices of the jobs, in request order, with exact totals.", typeof(QuoteBatch), Example: new("Several jobs")),
            Invalid("The usage cannot be priced; each bad field is named ([i].field for items of an array)."),
        ])
    {
        Body = new RequestBodyShape(typeof(UsageToPrice), Examples: [new("One job", 0, "bash"), new("Several jobs", 0, "bash")], MaxItems: QuoteApi.MaxJobs),
        Query = [new("at", "The instant whose price book quotes, ISO 8601 with an offset, from 2000-01-01T00:00:00Z up to 9000-01-01T00:00:00Z (exclusive); now when absent.", typeof(string))],
    };

    public static ApiRoute ListPriceBooks { get; } = new(
        "ListPriceBooks", "GET", ApiRoutes.PriceBooks, "List the price book versions and when each prices jobs.", RouteAccess.FunctionKey,
        call => Task.FromResult(call.Service<PriceBooksApi>().List()),
        [new(200, "The versions, oldest first.", typeof(PriceBookList), Example: new("GET /api/price-books"))]);

    /// <summary>This feature's routes, in the order the OpenAPI document lists them.</summary>
    public static IReadOnlyList<ApiRoute> All { get; } = [QuoteJobs, ListPriceBooks];
}
