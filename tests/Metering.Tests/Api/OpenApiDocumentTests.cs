using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Accounts;
using UsageProcessor.Metering.Http.Alerts;
using UsageProcessor.Metering.Http.Balances;
using UsageProcessor.Metering.Http.Credits;
using UsageProcessor.Metering.Http.Health;
using UsageProcessor.Metering.Http.Pricing;
using UsageProcessor.Metering.Http.Statements;
using UsageProcessor.Metering.Http.Usage;

namespace UsageProcessor.Metering.Tests.Api;

public sealed class OpenApiDocumentTests
{
    private static readonly JsonObject Document = OpenApiDocument.Build();

    private static JsonNode Paths => Document["paths"]!;

    [Fact]
    public void Build_ListsExactlyTheDeclaredRoutes()
    {
        var listed = Paths.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(m => $"{m.Key.ToUpperInvariant()} {p.Key}"))
            .Order(StringComparer.Ordinal);
        var declared = ApiRoutes.All.Select(r => $"{r.Method} /api/{r.Template}").Order(StringComparer.Ordinal);
        Assert.Equal(declared, listed);
    }

    [Fact]
    public void Build_EveryDeclaredAnswer_IsDocumentedWithItsContentTypeAndHeaders()
    {
        foreach (var route in ApiRoutes.All)
        {
            var responses = Paths[route.Path]![route.Method.ToLowerInvariant()]!["responses"]!;
            foreach (var answer in ApiRoutes.AnswersOf(route))
            {
                var response = responses[answer.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)];
                Assert.True(response is not null, $"{route.Name} {answer.Status} is not documented.");
                if (answer.ContentType.Length > 0)
                {
                    Assert.True(response["content"]?[answer.ContentType] is not null, $"{route.Name} {answer.Status} lacks {answer.ContentType}.");
                }

                foreach (var header in answer.Headers ?? [])
                {
                    Assert.True(response["headers"]?[header.Name] is not null, $"{route.Name} {answer.Status} lacks header {header.Name}.");
                }
            }
        }
    }

    [Fact]
    public void Build_KeyedRoutesRequireTheFunctionKeyAndHealthDoesNot()
    {
        Assert.NotEmpty(Paths["/api/accounts/{accountId}/balance"]!["get"]!["security"]!.AsArray());
        Assert.Empty(Paths["/api/health"]!["get"]!["security"]!.AsArray());
        Assert.NotNull(Paths["/api/accounts/{accountId}/balance"]!["get"]!["responses"]!["401"]);
    }

    [Fact]
    public void Build_UsageLimit_IsAnIntegerFromOneToTheLargestPage()
    {
        var limit = Paths["/api/accounts/{accountId}/usage"]!["get"]!["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "limit")!;

        Assert.Equal("integer", limit["schema"]!["type"]!.GetValue<string>());
        Assert.Equal(1, limit["schema"]!["minimum"]!.GetValue<int>());
        Assert.Equal(UsageApi.MaxLimit, limit["schema"]!["maximum"]!.GetValue<int>());
    }

    [Fact]
    public void Build_Admission_TakesAnOptionalReservationBodyAndSendsRateLimitHeaders()
    {
        var admission = Paths["/api/accounts/{accountId}/admissions"]!["post"]!;

        Assert.False(admission["requestBody"]!["required"]?.GetValue<bool>() ?? false);
        Assert.Equal("#/components/schemas/ReservationBody",
            admission["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.NotNull(admission["responses"]!["200"]!["headers"]!["RateLimit-Policy"]);
        Assert.NotNull(admission["responses"]!["429"]!["headers"]!["Retry-After"]);
        Assert.NotNull(admission["responses"]!["429"]!["headers"]!["RateLimit"]);
    }

    [Fact]
    public void Build_Usage200_IsJsonOrCsvWithNextCursor()
    {
        var ok = Paths["/api/accounts/{accountId}/usage"]!["get"]!["responses"]!["200"]!;

        Assert.Equal("#/components/schemas/UsagePage", ok["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.StartsWith("jobId,completedAt,", ok["content"]!["text/csv"]!["example"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(ok["headers"]!["Next-Cursor"]);
    }

    [Fact]
    public void Build_QuoteBody_IsOneUsageOrAnArrayOfAtMostTheLargestBatch()
    {
        var schema = Paths["/api/quote"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!["oneOf"]!.AsArray();

        Assert.Equal("#/components/schemas/UsageToPrice", schema[0]!["$ref"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/UsageToPriceList", schema[1]!["$ref"]!.GetValue<string>());
        Assert.Equal(QuoteApi.MaxJobs, Document["components"]!["schemas"]!["UsageToPriceList"]!["maxItems"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(typeof(BalanceView))]
    [InlineData(typeof(UsagePage))]
    [InlineData(typeof(UsageItem))]
    [InlineData(typeof(AccountView))]
    [InlineData(typeof(AlertItem))]
    [InlineData(typeof(JobQuote))]
    [InlineData(typeof(HealthReport))]
    [InlineData(typeof(UsageProcessor.Metering.Statements.Statement))]
    [InlineData(typeof(UsageProcessor.Metering.Statements.StatementLine))]
    [InlineData(typeof(StatementList))]
    [InlineData(typeof(GrantItem))]
    [InlineData(typeof(GrantList))]
    [InlineData(typeof(AdjustmentReceipt))]
    [InlineData(typeof(ActivityItem))]
    public void SchemaOf_AnswerType_HasExactlyTheMembersTheHandlersWrite(Type type)
    {
        var written = ApiJson.Options.GetTypeInfo(type).Properties.Select(p => p.Name).Order(StringComparer.Ordinal);

        var documented = OpenApiDocument.SchemaOf(type)["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal);

        Assert.Equal(written, documented);
    }

    [Fact]
    public void SchemaOf_Decimals_AreNumbersAndNullableOnesMayBeNull()
    {
        var properties = OpenApiDocument.SchemaOf(typeof(BalanceView))["properties"]!;

        Assert.Equal("number", properties["usedCredits"]!["type"]!.GetValue<string>());
        Assert.Equal(["number", "null"], properties["includedCredits"]!["type"]!.AsArray().Select(t => t!.GetValue<string>()));
    }

    [Theory]
    [InlineData("BalanceView", "usedCredits", false)]
    [InlineData("BalanceView", "includedCredits", true)]
    [InlineData("GrantItem", "drawnCredits", true)]
    [InlineData("UsageToPrice", "durationSeconds", true)]
    [InlineData("AdjustmentRequestBody", "credits", true)]
    public void Build_Decimals_AreNumbersOfFormatDecimal(string schema, string member, bool nullable)
    {
        var property = Document["components"]!["schemas"]![schema]!["properties"]![member]!;

        Assert.Equal("decimal", property["format"]!.GetValue<string>());
        Assert.Equal(nullable ? "[\"number\",\"null\"]" : "\"number\"", property["type"]!.ToJsonString());
    }

    [Fact]
    public void Build_AlertItemPassedThresholds_AreDecimalItems()
    {
        var thresholds = Document["components"]!["schemas"]!["AlertItem"]!["properties"]!["passedThresholds"]!;

        Assert.Equal("decimal", thresholds["items"]!["format"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("AccountView", "plan", "starter")]
    [InlineData("SubscriptionRequest", "kind", "credits-used-percent")]
    [InlineData("UsageToPrice", "serviceTier", "flex")]
    [InlineData("GrantItem", "status", "active")]
    [InlineData("AdjustmentRequestBody", "type", "void")]
    [InlineData("ProblemDocument", "reason", "credits-exhausted")]
    public void Build_WordMembers_AreEnumsWithoutNull(string schema, string member, string word)
    {
        var words = Document["components"]!["schemas"]![schema]!["properties"]![member]!["enum"]!.AsArray();

        Assert.Contains(word, words.Select(w => w?.GetValue<string>()));
        Assert.DoesNotContain(null, words);
    }

    [Fact]
    public void Build_Quote200_IsAUnionDiscriminatedByKind()
    {
        var schema = Paths["/api/quote"]!["post"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!;

        Assert.Equal("kind", schema["discriminator"]!["propertyName"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/QuoteBatch", schema["discriminator"]!["mapping"]!["batch"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/JobQuote", schema["discriminator"]!["mapping"]!["job"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("AdjustmentReceipt", "jobId", false)]
    [InlineData("AdjustmentReceipt", "credits", true)]
    [InlineData("SubscriptionRequest", "threshold", false)]
    [InlineData("SubscriptionRequest", "kind", true)]
    [InlineData("DashboardLinkRequest", "accountId", false)]
    [InlineData("UsageToPrice", "detail", false)]
    [InlineData("ProblemDocument", "reason", false)]
    [InlineData("JobQuote", "kind", true)]
    public void Build_RequiredLists_HoldExactlyTheMembersNeverNullOrLeftOut(string schema, string member, bool required)
    {
        var requiredMembers = Document["components"]!["schemas"]![schema]!["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? [];

        Assert.Equal(required, requiredMembers.Contains(member));
        Assert.Null(Document["components"]!["schemas"]![schema]!["properties"]![member]!["default"]);
    }

    [Fact]
    public void Build_PeriodPathParameter_IsYearDashMonth()
    {
        var period = Paths["/api/accounts/{accountId}/statements/{period}"]!["get"]!["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "period")!;

        Assert.Equal(OpenApiDocument.PeriodPattern, period["schema"]!["pattern"]!.GetValue<string>());
        Assert.Matches(OpenApiDocument.PeriodPattern, "2026-11");
        Assert.DoesNotMatch(OpenApiDocument.PeriodPattern, "2026-13");
    }

    [Fact]
    public void Build_OptionalAdmissionBody_RequiresItsFieldsOnlyOnceOneIsSent()
    {
        var reservation = Document["components"]!["schemas"]!["ReservationBody"]!;

        Assert.Null(reservation["required"]);
        Assert.Equal(["requestId", "domain"], reservation["dependentRequired"]!["pages"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public async Task Get_ServedDocument_NamesTheAddressItWasFetchedFromAsItsServer()
    {
        using var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = services };
        context.Request.Scheme = "https";
        context.Request.Host = new Microsoft.AspNetCore.Http.HostString("metering.example.com");
        context.Response.Body = new MemoryStream();

        await OpenApiDocument.Get(context.Request).ExecuteAsync(context);

        context.Response.Body.Position = 0;
        var served = await JsonNode.ParseAsync(context.Response.Body);
        Assert.Equal("https://metering.example.com", served!["servers"]![0]!["url"]!.GetValue<string>());
        Assert.Equal(OpenApiDocument.DefaultServer, Document["servers"]![0]!["url"]!.GetValue<string>());
    }

    [Fact]
    public void Build_Examples_AreTheCodeBlocksOfDocsApiMd()
    {
        var balance = Paths["/api/accounts/{accountId}/balance"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["example"]!;

        Assert.Equal("acct-bal", balance["accountId"]!.GetValue<string>());
        Assert.Equal(168, balance["usedCredits"]!.GetValue<decimal>());
    }

    [Fact]
    public void Build_RequestExamples_AreTheBodiesTheCurlCommandsOfDocsApiMdSend()
    {
        var credits = Paths["/api/accounts/{accountId}/credits"]!["post"]!["requestBody"]!["content"]!["application/json"]!["example"]!;
        var quotes = Paths["/api/quote"]!["post"]!["requestBody"]!["content"]!["application/json"]!["examples"]!.AsObject();

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"credits":250.5,"reference":"order-1"}"""), credits));
        Assert.Equal(2, quotes.Count);
        Assert.Equal(3, quotes.Last().Value!["value"]!.AsArray().Count);
    }

    /// <summary>Writes the document where <c>METERING_OPENAPI_OUT</c> says, for <c>.ci/run</c> to lint with Redocly.</summary>
    [Fact]
    public async Task Build_WrittenForLint_ReadsBackUnchanged()
    {
        var path = Environment.GetEnvironmentVariable("METERING_OPENAPI_OUT") is { Length: > 0 } target
            ? target
            : Path.Combine(Path.GetTempPath(), $"openapi-{Guid.NewGuid():N}.json");
        var text = Document.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

        await File.WriteAllTextAsync(path, text);

        Assert.True(JsonNode.DeepEquals(Document, JsonNode.Parse(await File.ReadAllTextAsync(path))));
    }

    [Fact]
    public void All_RouteNamesAndMethodTemplatePairs_AreUnique()
    {
        Assert.Equal(ApiRoutes.All.Count, ApiRoutes.All.Select(r => r.Name).Distinct().Count());
        Assert.Equal(ApiRoutes.All.Count, ApiRoutes.All.Select(r => (r.Method, r.Template)).Distinct().Count());
    }
}
