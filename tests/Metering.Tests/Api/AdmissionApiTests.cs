using System.Globalization;
using System.Text.Json;
using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.Simmy;
using UsageProcessor.Metering.Admission;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Credits;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Admission;
using UsageProcessor.Metering.Http.Credits;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Api;

[Collection(AzuriteCollection.Name)]
public sealed partial class AdmissionApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private readonly TestNames _names = azurite.UniqueNames(nameof(AdmissionApiTests));
    private MeteringHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await MeteringHarness.CreateAsync(azurite, _names, Now);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static Task<ApiResponse> AdmitAsync(MeteringHarness harness, string accountId) =>
        ApiCall.InvokeAsync(harness.Services, r => harness.Get<AdmissionApi>().AdmitAsync(r, accountId, default), "POST");

    private async Task CreateAsync(string accountId, string plan) =>
        await _harness.Get<AccountRegistry>().SetPlanAsync(accountId, _harness.Get<PlanCatalog>().Get(plan), default);

    [Fact]
    public async Task AdmitAsync_StarterWindowEdges_AdmitsTenRefusesTheEleventhAndAdmitsWhenTheOldestLeaves()
    {
        await CreateAsync("acct-adm", "starter");
        var answers = new List<ApiResponse>();
        for (var i = 0; i < 10; i++)
        {
            answers.Add(await AdmitAsync(_harness, "acct-adm"));
            _harness.Clock.Advance(TimeSpan.FromSeconds(5));
        }

        // 50 s after the first admission: the eleventh falls inside the same 60 s.
        var eleventh = await AdmitAsync(_harness, "acct-adm");
        _harness.Clock.Advance(TimeSpan.FromSeconds(10));        // 60 s after the first: it leaves the window
        var afterOldestLeft = await AdmitAsync(_harness, "acct-adm");
        var thenFullAgain = await AdmitAsync(_harness, "acct-adm");

        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.Equal("\"per-minute\";q=10;w=60", answers[0].Headers["RateLimit-Policy"].ToString());
        Assert.Equal("\"per-minute\";r=9;t=60", answers[0].Headers["RateLimit"].ToString());
        Assert.StartsWith("\"per-minute\";r=0;", answers[9].Headers["RateLimit"].ToString(), StringComparison.Ordinal);
        Assert.Equal(429, eleventh.Status);
        Assert.Equal("rate-limit-reached", eleventh.Json.GetProperty("reason").GetString());
        Assert.Equal("10", eleventh.Headers.RetryAfter.ToString());
        Assert.Equal("\"per-minute\";r=0;t=10", eleventh.Headers["RateLimit"].ToString());
        Assert.Equal(200, afterOldestLeft.Status);
        Assert.Equal(429, thenFullAgain.Status);
        Assert.Equal("5", thenFullAgain.Headers.RetryAfter.ToString());
    }

    [Fact]
    public async Task AdmitAsync_16ConcurrentCallersOnTwoInstances_NeverAdmitMoreThanTheLimit()
    {
        await CreateAsync("acct-adm-race", "starter");
        await using var second = await MeteringHarness.CreateAsync(azurite, _names, Now);
        var instances = new[] { _harness, second };

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(caller => Task.Run(async () =>
        {
            var statuses = new List<int>();
            for (var i = 0; i < 3; i++)
            {
                statuses.Add((await AdmitAsync(instances[caller % 2], "acct-adm-race")).Status);
            }

            return statuses;
        })));

        var all = answers.SelectMany(s => s).ToList();
        Assert.Equal(10, all.Count(s => s == 200));
        Assert.Equal(38, all.Count(s => s == 429));
    }

    [Fact]
    public async Task AdmitAsync_StarterOutOfCredits_Answers402UntilCreditsArePurchased()
    {
        await CreateAsync("acct-adm-broke", "starter");
        await _harness.Get<JobIngestion>().HandleAsync(
            new JobMessage(JobMessages.Create("broke-1", "acct-adm-broke", Now.AddMinutes(-1), pages: 60), "m1"), default);

        var refused = await AdmitAsync(_harness, "acct-adm-broke");
        await _harness.Get<CreditPurchases>().AddAsync("acct-adm-broke", 500, "order-broke", default);
        var admitted = await AdmitAsync(_harness, "acct-adm-broke");

        Assert.Equal(402, refused.Status);
        Assert.Equal("credits-exhausted", refused.Json.GetProperty("reason").GetString());
        Assert.Equal("application/problem+json", refused.ContentType);
        Assert.True(refused.Headers.ContainsKey("RateLimit-Policy"));
        Assert.Equal(200, admitted.Status);
    }

    [Fact]
    public async Task AdmitAsync_Enterprise_IsAdmittedWithoutLimitHeaders()
    {
        await CreateAsync("acct-adm-ent", "enterprise");

        var answers = new List<ApiResponse>();
        for (var i = 0; i < 15; i++)
        {
            answers.Add(await AdmitAsync(_harness, "acct-adm-ent"));
        }

        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.False(answers[0].Headers.ContainsKey("RateLimit-Policy"));
        Assert.False(answers[0].Headers.ContainsKey("RateLimit"));
    }

    [Fact]
    public async Task AdmitAsync_BodyWithUsage_ReservesTheQuotedCreditsAndNamesBadFields()
    {
        await CreateAsync("acct-adm-res", "starter");
        Task<ApiResponse> Send(string body) =>
            ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<AdmissionApi>().AdmitAsync(r, "acct-adm-res", default), "POST", body);

        // 2 pages at hi detail (4 credits a page) on the flex tier (0.5): the docs' example, 4 credits.
        var reserved = await Send("""{"requestId":"req-7","domain":"document.invoice","detail":"hi","pages":2,"serviceTier":"flex"}""");
        var bad = await Send("""{"requestId":"no spaces","domain":"document.nope","pages":-1}""");
        var tooMuch = await Send("""{"requestId":"req-8","domain":"document.invoice","detail":"hi","pages":49,"serviceTier":"flex"}""");

        Assert.Equal(200, reserved.Status);
        var reservation = reserved.Json.GetProperty("reservation");
        Assert.Equal(("req-7", 4m, Now.AddMinutes(15)),
            (reservation.GetProperty("requestId").GetString(), reservation.GetProperty("credits").GetDecimal(), reservation.GetProperty("expiresAt").GetDateTimeOffset()));
        Assert.Equal(400, bad.Status);
        Assert.NotEmpty(bad.ErrorsFor("requestId"));
        Assert.NotEmpty(bad.ErrorsFor("pages"));
        Assert.Equal(402, tooMuch.Status);   // 98 credits would be needed; 96 are left after req-7
        Assert.Equal("reservation-exceeds-credits", tooMuch.Json.GetProperty("reason").GetString());
        // The amount as the docs write numbers (the quote's own scale would print 98.0).
        Assert.Equal(
            "Account 'acct-adm-res' has fewer credits left (less what is reserved) than the 98 this request needs; purchase credits or wait for reservations to settle.",
            tooMuch.Json.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AdmitAsync_EmptyObjectBody_CountsTheRequestWithoutAReservation()
    {
        await CreateAsync("acct-adm-empty", "starter");

        // What a generated client (Kiota) sends for an optional body it was given no fields for.
        var admitted = await ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<AdmissionApi>().AdmitAsync(r, "acct-adm-empty", default), "POST", "{}");

        Assert.Equal(200, admitted.Status);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, admitted.Json.GetProperty("reservation").ValueKind);
        Assert.Equal(9, admitted.Json.GetProperty("remaining").GetInt32());
    }

    [Fact]
    public async Task AdmitAsync_SpendCapReached_Answers402WithItsReasonAndTheCapWithoutTrailingZeros()
    {
        await CreateAsync("acct-adm-cap", "pro");
        var cap = await ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<SpendCapApi>().PutAsync(r, "acct-adm-cap", default), "PUT",
            """{"monthlyCredits":100.50,"appliesTo":"credits"}""");
        await _harness.Get<JobIngestion>().HandleAsync(
            new JobMessage(JobMessages.Create("cap-1", "acct-adm-cap", Now.AddMinutes(-1), detail: "hi", pages: 30), "m-cap"), default); // 120 credits

        var refused = await AdmitAsync(_harness, "acct-adm-cap");

        Assert.Equal(200, cap.Status);
        Assert.Equal(402, refused.Status);
        Assert.Equal("spend-cap-reached", refused.Json.GetProperty("reason").GetString());
        Assert.Contains("its monthly spend cap of 100.5 credits;", refused.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdmitAsync_SameRequestIdWithOtherUsage_Answers409AndKeepsTheFirstReservation()
    {
        await CreateAsync("acct-adm-replay", "starter");
        Task<ApiResponse> Send(string body) =>
            ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<AdmissionApi>().AdmitAsync(r, "acct-adm-replay", default), "POST", body);
        const string First = """{"requestId":"req-replay","domain":"document.invoice","detail":"hi","pages":2,"serviceTier":"flex"}""";

        var first = await Send(First);
        var repeat = await Send(First);
        var other = await Send("""{"requestId":"req-replay","domain":"document.invoice","detail":"hi","pages":20,"serviceTier":"flex"}""");

        Assert.Equal(200, first.Status);
        Assert.Equal(200, repeat.Status);
        Assert.Equal(first.Json.GetProperty("reservation").GetRawText(), repeat.Json.GetProperty("reservation").GetRawText());
        Assert.Equal(409, other.Status);
        Assert.Contains("req-replay", other.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var account = await _harness.Get<AccountRegistry>().ReadAsync("acct-adm-replay", default);
        Assert.Equal(4m, Assert.Single(account!.Reservations).Credits);
    }

    [Fact]
    public async Task AdmitAsync_SameRequestIdWithOtherUsageOfTheSamePrice_Answers409()
    {
        await CreateAsync("acct-adm-replay-price", "starter");
        Task<ApiResponse> Send(string body) =>
            ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<AdmissionApi>().AdmitAsync(r, "acct-adm-replay-price", default), "POST", body);

        var first = await Send("""{"requestId":"req-same-price","domain":"document.invoice","detail":"hi","pages":2,"serviceTier":"flex"}""");
        var sameUsageOtherSpelling = await Send("""{"requestId":"req-same-price","domain":"document.invoice","detail":"hi","pages":2.0,"serviceTier":"flex"}""");
        // Another document of the same family prices the same (4 credits) but is not the same request.
        var other = await Send("""{"requestId":"req-same-price","domain":"document.receipt","detail":"hi","pages":2,"serviceTier":"flex"}""");

        Assert.Equal((200, 200, 409), (first.Status, sameUsageOtherSpelling.Status, other.Status));
        Assert.Contains("other usage of the same price", other.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var account = await _harness.Get<AccountRegistry>().ReadAsync("acct-adm-replay-price", default);
        var kept = Assert.Single(account!.Reservations);
        Assert.Equal((4m, UsageFingerprint.Of(new JobUsage { Domain = "document.invoice", Detail = "hi", Pages = 2, ServiceTier = "flex" })), (kept.Credits, kept.Usage));
    }

    [Theory]
    [InlineData("""{"requestId":"req-chunked","domain":"document.invoice","detail":"hi","pages":2,"serviceTier":"flex"}""", 200)]
    [InlineData("""{"requestId":"req-chunked","domain":"document.nope","pages":-1}""", 400)]
    [InlineData("""not json""", 400)]
    public async Task AdmitAsync_ChunkedBodyWithoutContentType_IsReadAsTheBody(string body, int status)
    {
        await CreateAsync("acct-adm-chunked", "starter");

        var answer = await ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<AdmissionApi>().AdmitAsync(r, "acct-adm-chunked", default), "POST", body, chunked: true);

        Assert.Equal(status, answer.Status);
        var account = await _harness.Get<AccountRegistry>().ReadAsync("acct-adm-chunked", default);
        Assert.Equal(status == 200 ? [4m] : [], account!.Reservations.Select(r => r.Credits));
    }

    [Fact]
    public async Task AdmitAsync_ChunkedEmptyBody_CountsTheRequestOnly()
    {
        await CreateAsync("acct-adm-chunked-empty", "starter");

        var answer = await ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<AdmissionApi>().AdmitAsync(r, "acct-adm-chunked-empty", default), "POST", string.Empty, chunked: true);

        Assert.Equal(200, answer.Status);
        Assert.Equal(JsonValueKind.Null, answer.Json.GetProperty("reservation").ValueKind);
    }

    [Fact]
    public async Task AdmitAsync_BadAccountIdAndBadReservation_AnswersOneProblemNamingEach()
    {
        var bad = await ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<AdmissionApi>().AdmitAsync(r, "a:b", default), "POST",
            """{"requestId":"no spaces","domain":"document.invoice","pages":-1}""");

        Assert.Equal(400, bad.Status);
        Assert.All(new[] { "accountId", "requestId", "pages" }, f => Assert.NotEmpty(bad.ErrorsFor(f)));
    }

    [Fact]
    public async Task AdmitAsync_UnknownAccountOrBadId_Answers404Or400()
    {
        Assert.Equal(404, (await AdmitAsync(_harness, "acct-adm-nobody")).Status);
        Assert.NotEmpty((await AdmitAsync(_harness, "bad/id")).ErrorsFor("accountId"));
    }

    [Fact]
    public async Task AdmitAsync_RaceLostOnEveryAttempt_RetriesThenAnswers503WithRetryAfter()
    {
        await CreateAsync("acct-adm-busy", "starter");
        var faults = 0;
        // Every storage call of this instance loses an ETag race, as if other writers always got there first.
        await using var contended = await MeteringHarness.CreateAsync(azurite, _names, Now, services =>
        {
            services.Configure<StoragePipelineOptions>(o => (o.MaxContentionRetries, o.ContentionDelay) = (2, TimeSpan.FromMilliseconds(1)));
            services.AddResiliencePipeline(StoragePipelines.StorageKey, (b, context) => StoragePipelines.AddTransientRetry(b, context)
                .AddChaosFault(1.0, () =>
                {
                    Interlocked.Increment(ref faults);
                    return new RequestFailedException(412, "The update condition specified in the request was not satisfied.");
                }));
        });

        var lost = await Assert.ThrowsAsync<RequestFailedException>(() => AdmitAsync(contended, "acct-adm-busy"));
        var context = new DefaultHttpContext { RequestServices = contended.Services, Response = { Body = new MemoryStream() } };
        await ApiProblems.ForException(lost)!.ExecuteAsync(context);

        Assert.Equal(3 * 1, faults);   // three attempts (two retries), each reading one row: the account (admission state lives there)
        Assert.Equal(503, context.Response.StatusCode);
        Assert.Equal(ApiProblems.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture), context.Response.Headers.RetryAfter.ToString());
    }

    private Task<ApiResponse> ReserveAsync(string accountId, string requestId, int pages) =>
        ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<AdmissionApi>().AdmitAsync(r, accountId, default), "POST",
            $$"""{"requestId":"{{requestId}}","domain":"document.invoice","detail":"hi","pages":{{pages}}}""");

    private Task<ApiResponse> ReleaseAsync(string accountId, string requestId) =>
        ApiCall.InvokeAsync(_harness.Services, _ => _harness.Get<AdmissionApi>().ReleaseAsync(accountId, requestId, default), "DELETE");

    private Task<ApiResponse> BalanceAsync(string accountId) =>
        ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<Http.Balances.BalanceApi>().GetAsync(r, accountId, default));

    [Fact]
    public async Task ReleaseAsync_ReservationOfAFailedRequest_FreesItsCreditsAtOnceAndOnlyOnce()
    {
        // Starter: a 100-credit sign-up bonus. Two reservations of 48 (12 pages at 4 credits) leave 4.
        await CreateAsync("acct-rel", "starter");
        await ReserveAsync("acct-rel", "req-a", 12);
        await ReserveAsync("acct-rel", "req-b", 12);
        var refusedWhileHeld = await ReserveAsync("acct-rel", "req-c", 12);
        var heldBalance = await BalanceAsync("acct-rel");

        var released = await ReleaseAsync("acct-rel", "req-a");
        var again = await ReleaseAsync("acct-rel", "req-a");
        var admittedAfter = await ReserveAsync("acct-rel", "req-c", 12);

        Assert.Equal(402, refusedWhileHeld.Status);
        Assert.Equal((100m, 96m), (heldBalance.Json.GetProperty("walletCredits").GetDecimal(), heldBalance.Json.GetProperty("reservedCredits").GetDecimal()));
        Assert.Equal(200, released.Status);
        Assert.Equal(("req-a", 48m, 48m),
            (released.Json.GetProperty("requestId").GetString(), released.Json.GetProperty("releasedCredits").GetDecimal(), released.Json.GetProperty("reservedCredits").GetDecimal()));
        Assert.Equal(404, again.Status);
        Assert.Equal(200, admittedAfter.Status);
        Assert.Equal(96m, (await BalanceAsync("acct-rel")).Json.GetProperty("reservedCredits").GetDecimal());
    }

    [Fact]
    public async Task ReleaseAsync_ExpiredOrUnknownOrBadIds_AnswerProblems()
    {
        await CreateAsync("acct-rel-exp", "starter");
        await ReserveAsync("acct-rel-exp", "req-old", 1);
        _harness.Clock.Advance(TimeSpan.FromMinutes(16));

        var expired = await ReleaseAsync("acct-rel-exp", "req-old");
        var noAccount = await ReleaseAsync("acct-rel-none", "req-old");
        var bad = await ReleaseAsync("bad id", "a b");

        Assert.Equal((404, 404, 400), (expired.Status, noAccount.Status, bad.Status));
        Assert.All(new[] { "accountId", "requestId" }, f => Assert.NotEmpty(bad.ErrorsFor(f)));
    }

    [Fact]
    public async Task Commit_JobSettlingForLessThanItReserved_FreesTheRestAtOnce()
    {
        await CreateAsync("acct-rel-less", "starter");
        await ReserveAsync("acct-rel-less", "job-less", 20); // 80 credits reserved
        var before = await BalanceAsync("acct-rel-less");

        // The job ran 5 pages, not 20: 20 credits billed; the other 60 are free again.
        await _harness.Get<JobIngestion>().HandleAsync(
            new JobMessage(JobMessages.Create("job-less", "acct-rel-less", Now, detail: "hi", pages: 5), "m-less"), default);
        var after = await BalanceAsync("acct-rel-less");
        var fits = await ReserveAsync("acct-rel-less", "req-next", 20);

        Assert.Equal((100m, 80m), (before.Json.GetProperty("walletCredits").GetDecimal(), before.Json.GetProperty("reservedCredits").GetDecimal()));
        Assert.Equal((80m, 0m), (after.Json.GetProperty("walletCredits").GetDecimal(), after.Json.GetProperty("reservedCredits").GetDecimal()));
        Assert.Equal(200, fits.Status);
    }
}
