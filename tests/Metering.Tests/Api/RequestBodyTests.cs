using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using UsageProcessor.Metering.Credits;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Credits;
using UsageProcessor.Metering.Http.Pricing;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Api;

/// <summary>The one request binder, through real request records, without storage.</summary>
public sealed class RequestBodyTests
{
    private static readonly IServiceProvider Services = new ServiceCollection().AddLogging().BuildServiceProvider();
    private static readonly IReadOnlyList<FieldError> BadAccountId = [new("accountId", "must be 1 to 64 letters, digits, '-' or '_'.")];

    private static Task<ApiResponse> GrantAsync(string? body, IReadOnlyList<FieldError>? routeErrors = null, IDictionary<string, string>? headers = null) =>
        ApiCall.InvokeAsync(Services, async r =>
        {
            var (grant, problem) = await RequestBody.BindAsync<GrantRequestBody, GrantRequest>(r, routeErrors ?? [], default);
            return problem ?? Results.Json(grant);
        }, "POST", body, headers: headers);

    [Fact]
    public async Task BindAsync_NoBody_AnswersOneProblemNamingTheMissingBody()
    {
        var answer = await GrantAsync(null);

        Assert.Equal(400, answer.Status);
        Assert.Equal("application/problem+json", answer.ContentType);
        Assert.Equal(["a JSON body is required."], answer.ErrorsFor("$"));
    }

    [Theory]
    [InlineData("{")]
    [InlineData("""{"credits":5,"credits":6}""")]
    [InlineData("not json")]
    public async Task BindAsync_MalformedJson_AnswersOneProblemSayingItIsNotJson(string body)
    {
        var answer = await GrantAsync(body);

        Assert.Equal(400, answer.Status);
        Assert.StartsWith("is not valid JSON: ", Assert.Single(answer.ErrorsFor("$")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"credits\"")]
    [InlineData("5")]
    public async Task BindAsync_NotAnObject_AnswersOneProblemWithAnExample(string body)
    {
        var answer = await GrantAsync(body);

        Assert.Equal(400, answer.Status);
        Assert.StartsWith("must be a JSON object such as {\"credits\":500", Assert.Single(answer.ErrorsFor("$")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BindAsync_BodyOverTheCap_AnswersOneProblemNamingTheCap()
    {
        var answer = await GrantAsync("{\"reason\":\"" + new string('x', RequestBody.MaxBytes) + "\"}");

        Assert.Equal(400, answer.Status);
        Assert.Equal([$"the body must be at most {RequestBody.MaxBytes} bytes."], answer.ErrorsFor("$"));
    }

    [Fact]
    public async Task BindAsync_StreamedBodyOverTheCapWithoutLength_AnswersOneProblemNamingTheCap()
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Request.Method = "POST";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes("[" + string.Join(',', Enumerable.Repeat("1", RequestBody.MaxBytes)) + "]"));
        context.Response.Body = new MemoryStream();

        var (grant, problem) = await RequestBody.BindAsync<GrantRequestBody, GrantRequest>(context.Request, [], default);
        await problem!.ExecuteAsync(context);

        Assert.Null(grant);
        Assert.Equal(400, context.Response.StatusCode);
        Assert.Contains($"at most {RequestBody.MaxBytes} bytes", Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BindAsync_SeveralBadFields_AnswersOneProblemNamingEachWithItsReason()
    {
        var answer = await GrantAsync("""{"credits":"five","reason":"gift","reference":"a b","expiresAt":"2027-01-01","priority":101,"actor":7}""");

        Assert.Equal(400, answer.Status);
        Assert.Equal(["must be a number."], answer.ErrorsFor("credits"));
        Assert.Equal(["must be one of promotion, support, sign-up, purchase."], answer.ErrorsFor("reason"));
        Assert.NotEmpty(answer.ErrorsFor("reference"));
        Assert.Equal(["must be an ISO 8601 instant with an offset, such as 2027-01-01T00:00:00Z; got '2027-01-01'."], answer.ErrorsFor("expiresAt"));
        Assert.Equal(["must be a whole number from 0 to 100; got 101."], answer.ErrorsFor("priority"));
        Assert.Equal(["must be a string."], answer.ErrorsFor("actor"));
    }

    [Fact]
    public async Task BindAsync_BadRouteValueAndBadFields_AnswersOneProblemNamingBoth()
    {
        var answer = await GrantAsync("""{"credits":0,"reason":"promotion","reference":"promo-1"}""", BadAccountId);

        Assert.Equal(400, answer.Status);
        Assert.Equal(["must be 1 to 64 letters, digits, '-' or '_'."], answer.ErrorsFor("accountId"));
        Assert.NotEmpty(answer.ErrorsFor("credits"));
    }

    [Fact]
    public async Task BindAsync_BadRouteValueAndNoBody_AnswersOneProblemNamingBoth()
    {
        var answer = await GrantAsync(null, BadAccountId);

        Assert.Equal(400, answer.Status);
        Assert.NotEmpty(answer.ErrorsFor("accountId"));
        Assert.Equal(["a JSON body is required."], answer.ErrorsFor("$"));
    }

    [Fact]
    public async Task BindAsync_ValidBodyWithByteOrderMark_BindsTheDomainRequest()
    {
        var answer = await GrantAsync("\uFEFF" + """{"credits":250.5,"reason":"promotion","reference":"promo-1","expiresAt":"2027-01-01T01:00:00+01:00","priority":10}""");

        Assert.Equal(200, answer.Status);
        var grant = answer.Json;
        Assert.Equal(250.5m, grant.GetProperty("credits").GetDecimal());
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), grant.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal(10, grant.GetProperty("priority").GetInt32());
        Assert.Equal("api", grant.GetProperty("actor").GetString());   // the default actor
    }

    [Fact]
    public async Task BindAsync_TextPlainContentType_IsReadAsJsonAsBefore()
    {
        // The content type was never checked: a JSON body sent as text/plain (curl -d without -H) still binds.
        var answer = await GrantAsync("""{"credits":1,"reason":"promotion","reference":"promo-2"}""", headers: new Dictionary<string, string> { ["Content-Type"] = "text/plain" });

        Assert.Equal(200, answer.Status);
    }

    [Theory]
    [InlineData("""{"credits":1,"reason":"promotion","reference":"\ud800"}""", "reference")]
    [InlineData("""{"credits":1,"reason":"promotion","reference":"p-1","note":{"by":["ok","x\udc00y"]}}""", "note.by[1]")]
    [InlineData("""{"credits":1,"reason":"promotion","reference":"p-1","x\ud800":1}""", "x\\ud800")]
    public async Task BindAsync_LoneSurrogateEscape_AnswersOneProblemNamingTheField(string body, string field)
    {
        var answer = await GrantAsync(body);

        Assert.Equal(400, answer.Status);
        Assert.Contains("lone UTF-16 surrogate", Assert.Single(answer.ErrorsFor(field)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BindAsync_SurrogatePairEscape_BindsTheCharacter()
    {
        var answer = await GrantAsync("""{"credits":1,"reason":"promotion","reference":"p-1","actor":"ops \ud83d\ude00"}""");

        Assert.Equal(200, answer.Status);
        Assert.Equal("ops \U0001F600", answer.Json.GetProperty("actor").GetString());
    }

    [Fact]
    public async Task BindOneOrManyAsync_LoneSurrogateInAnItem_NamesTheItemsField()
    {
        var answer = await ApiCall.InvokeAsync(Services, async r =>
        {
            var (quotes, _, problem) = await RequestBody.BindOneOrManyAsync<UsageToPrice, JobQuote, PriceBook>(
                r, PriceBook.LoadEmbedded(), [], 3, "Some jobs cannot be priced.", default);
            return problem ?? Results.Json(quotes);
        }, "POST", """[{"domain":"document.invoice","pages":1},{"domain":"document.invoice\udfff","pages":1}]""");

        Assert.Equal(400, answer.Status);
        Assert.Contains("lone UTF-16 surrogate", Assert.Single(answer.ErrorsFor("[1].domain")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BindOneOrManyAsync_ArrayWithBadItems_AnswersOneProblemNamingEachItemsFields()
    {
        var answer = await ApiCall.InvokeAsync(Services, async r =>
        {
            var (quotes, _, problem) = await RequestBody.BindOneOrManyAsync<UsageToPrice, JobQuote, PriceBook>(
                r, PriceBook.LoadEmbedded(), [], 3, "Some jobs cannot be priced.", default);
            return problem ?? Results.Json(quotes);
        }, "POST", """[{"domain":"document.invoice","pages":1},{"domain":"document.invoice","pages":0,"serviceTier":"gold"},"job"]""");

        Assert.Equal(400, answer.Status);
        Assert.Equal("Some jobs cannot be priced.", answer.Json.GetProperty("title").GetString());
        Assert.NotEmpty(answer.ErrorsFor("[1].pages"));
        Assert.NotEmpty(answer.ErrorsFor("[1].serviceTier"));
        Assert.NotEmpty(answer.ErrorsFor("[2].$"));
        Assert.Empty(answer.ErrorsFor("[0].pages"));
    }
}
