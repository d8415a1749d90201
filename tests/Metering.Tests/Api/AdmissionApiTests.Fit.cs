using UsageProcessor.Metering.Http.Admission;
using UsageProcessor.Metering.Http.Credits;
using UsageProcessor.Metering.Tests.Infrastructure;

namespace UsageProcessor.Metering.Tests.Api;

/// <summary>Admissions that ask to fit: the richest variant the account can pay for, or 402 when none.</summary>
public sealed partial class AdmissionApiTests
{
    // One hi-detail page with grounding at the priority tier: (4 + 2) × 1.8 = 10.8 credits as asked.
    private const string RichRequest = "\"requestId\":\"req-fit\",\"domain\":\"document.invoice\",\"detail\":\"hi\",\"grounding\":true,\"pages\":1,\"serviceTier\":\"priority\"";

    [Theory]
    [InlineData(11, false, "hi", true, "priority", 10.8)]       // covered as asked
    [InlineData(6, true, "hi", true, "standard", 6)]            // the tier goes first
    [InlineData(3, true, "hi", true, "flex", 3)]
    [InlineData(2, true, "hi", false, "flex", 2)]               // then grounding (hi without it, flex: 4 × 0.5)
    [InlineData(1, true, "auto", false, "flex", 1)]             // then the detail level
    public async Task AdmitAsync_FitWithFewCreditsLeft_ReservesTheRichestVariantTheyCover(
        int creditsLeft, bool lowered, string detail, bool grounding, string tier, decimal credits)
    {
        var account = $"acct-fit-{creditsLeft}";
        await CreateAsync(account, "starter");
        await HoldAllButAsync(account, creditsLeft);

        var answer = await SendAsync(account, $$"""{{{RichRequest}},"fit":true}""");

        Assert.Equal(200, answer.Status);
        var view = answer.Json.GetProperty("fit");
        Assert.Equal((lowered, detail, grounding, tier, credits),
            (view.GetProperty("lowered").GetBoolean(), view.GetProperty("detail").GetString(), view.GetProperty("grounding").GetBoolean(),
             view.GetProperty("serviceTier").GetString(), view.GetProperty("quote").GetProperty("credits").GetDecimal()));
        Assert.Equal(credits, answer.Json.GetProperty("reservation").GetProperty("credits").GetDecimal());
    }

    [Fact]
    public async Task AdmitAsync_DocsFitExample_AnswersAsDocumented()
    {
        await CreateAsync("acct-fit", "starter");
        await HoldAllButAsync("acct-fit", 6);

        var answer = await SendAsync("acct-fit", Http.DocExamples.RequestBody(new("Fitting a request", 0, "bash")).ToJsonString());

        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(Http.DocExamples.Get(new("Fitting a request")), System.Text.Json.Nodes.JsonNode.Parse(answer.Body)), answer.Body);
    }

    [Fact]
    public async Task AdmitAsync_WithoutFit_RefusesWhatFitWouldHaveLowered()
    {
        await CreateAsync("acct-fit-off", "starter");
        await HoldAllButAsync("acct-fit-off", 6);

        var refused = await SendAsync("acct-fit-off", $$"""{{{RichRequest}}}""");

        Assert.Equal(402, refused.Status);
        Assert.Equal("reservation-exceeds-credits", refused.Json.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task AdmitAsync_FitWhenNotEvenTheCheapestVariantFits_Answers402NamingIt()
    {
        await CreateAsync("acct-fit-none", "starter");
        await HoldAllButAsync("acct-fit-none", 0);

        var refused = await SendAsync("acct-fit-none", $$"""{{{RichRequest}},"fit":true}""");

        Assert.Equal(402, refused.Status);
        Assert.Equal(("Nothing fits.", "reservation-exceeds-credits"),
            (refused.Json.GetProperty("title").GetString(), refused.Json.GetProperty("reason").GetString()));
        // The cheapest variant: lo detail, no grounding, flex: 1 × 0.5.
        Assert.Contains("(0.5 credits at detail lo, without grounding, tier flex)", refused.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdmitAsync_FitRetriedWithTheSameRequestId_HoldsTheFirstVariantAndCountsNothingTwice()
    {
        await CreateAsync("acct-fit-retry", "starter");
        await HoldAllButAsync("acct-fit-retry", 6);

        var first = await SendAsync("acct-fit-retry", $$"""{{{RichRequest}},"fit":true}""");
        var retry = await SendAsync("acct-fit-retry", $$"""{{{RichRequest}},"fit":true}""");
        var balance = await BalanceAsync("acct-fit-retry");

        Assert.Equal((200, 200), (first.Status, retry.Status));
        Assert.Equal(("standard", "standard"),
            (first.Json.GetProperty("fit").GetProperty("serviceTier").GetString(), retry.Json.GetProperty("fit").GetProperty("serviceTier").GetString()));
        Assert.Equal(100m, balance.Json.GetProperty("reservedCredits").GetDecimal()); // 94 held + 6 fitted, once
    }

    [Fact]
    public async Task AdmitAsync_FitUnderASpendCap_ReservesWhatTheCapLeavesRoomFor()
    {
        await CreateAsync("acct-fit-cap", "pro");
        var cap = await ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<SpendCapApi>().PutAsync(r, "acct-fit-cap", default), "PUT",
            """{"monthlyCredits":5,"appliesTo":"credits"}""");

        var answer = await SendAsync("acct-fit-cap", $$"""{{{RichRequest}},"fit":true}""");

        Assert.Equal((200, 200), (cap.Status, answer.Status));
        Assert.Equal(("flex", 3m), (answer.Json.GetProperty("fit").GetProperty("serviceTier").GetString(), answer.Json.GetProperty("reservation").GetProperty("credits").GetDecimal()));
    }

    [Fact]
    public async Task AdmitAsync_FitNotABoolean_Answers400NamingIt()
    {
        await CreateAsync("acct-fit-bad", "starter");

        var bad = await SendAsync("acct-fit-bad", $$"""{{{RichRequest}},"fit":"yes"}""");

        Assert.Equal(400, bad.Status);
        Assert.Contains("must be true or false.", bad.ErrorsFor("fit"));
    }

    private Task<ApiResponse> SendAsync(string accountId, string body) =>
        ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<AdmissionApi>().AdmitAsync(r, accountId, default), "POST", body);

    // A starter account starts with 100 credits: a reservation of lo-detail flex pages (0.5 credits each) holds the rest.
    private async Task HoldAllButAsync(string accountId, int creditsLeft)
    {
        var held = await SendAsync(accountId,
            $$"""{"requestId":"req-hold","domain":"document.invoice","detail":"lo","pages":{{2 * (100 - creditsLeft)}},"serviceTier":"flex"}""");
        Assert.Equal(200, held.Status);
    }
}
