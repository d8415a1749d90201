using static UsageProcessor.Pricing.Tests.TestBooks;

namespace UsageProcessor.Pricing.Tests;

/// <summary>The shipped plans and loading plan files.</summary>
public class PlanCatalogTests
{
    private static readonly PlanCatalog Plans = PlanCatalog.LoadEmbedded();

    [Fact]
    public void LoadEmbedded_Starter_HundredSignUpCreditsOnceAndNoOverage()
    {
        var starter = Plans.Get("starter");

        Assert.Equal("starter", starter.Name);
        Assert.Equal(100m, starter.SignUpBonusCredits);
        Assert.Equal(0m, starter.MonthlyIncludedCredits);
        Assert.False(starter.UnlimitedCredits);
        Assert.False(starter.AllowsOverage);
        Assert.Equal(10, starter.RateLimitPerMinute);
        Assert.True(starter.HasRateLimit);
        Assert.Equal(0, starter.CustomModelAllowance);
    }

    [Fact]
    public void LoadEmbedded_Pro_HundredThousandMonthlyWithOverage()
    {
        var pro = Plans.Get("pro");

        Assert.Equal(0m, pro.SignUpBonusCredits);
        Assert.Equal(100_000m, pro.MonthlyIncludedCredits);
        Assert.False(pro.UnlimitedCredits);
        Assert.True(pro.AllowsOverage);
        Assert.Equal(100, pro.RateLimitPerMinute);
        Assert.True(pro.HasRateLimit);
        Assert.Equal(5, pro.CustomModelAllowance);
    }

    [Fact]
    public void LoadEmbedded_Enterprise_UnlimitedWithoutRateLimit()
    {
        var enterprise = Plans.Get("enterprise");

        Assert.True(enterprise.UnlimitedCredits);
        Assert.Null(enterprise.RateLimitPerMinute);
        Assert.False(enterprise.HasRateLimit);
        Assert.Null(enterprise.CustomModelAllowance);
    }

    [Fact]
    public void LoadEmbedded_DefaultPlan_IsStarter()
    {
        Assert.Equal("starter", Plans.Default.Name);
    }

    [Fact]
    public void LoadEmbedded_Names_AreTheThreePlans()
    {
        Assert.Equal(["enterprise", "pro", "starter"], Plans.Names.Order(StringComparer.Ordinal));
        Assert.Equal(3, Plans.All.Count);
    }

    [Theory]
    [InlineData("gold")]
    [InlineData("Pro")]
    [InlineData("")]
    [InlineData(null)]
    public void TryGet_UnknownName_ReturnsFalseWithDefault(string? name)
    {
        Assert.False(Plans.TryGet(name, out var plan));
        Assert.Same(Plans.Default, plan);
    }

    [Fact]
    public void Get_UnknownName_ThrowsNamingIt()
    {
        var e = Assert.Throws<KeyNotFoundException>(() => Plans.Get("gold"));

        Assert.Contains("gold", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ShippedJson_SameAsEmbedded()
    {
        var plans = LoadPlans(EmbeddedPlansJson());

        Assert.Equal(Plans.Get("pro"), plans.Get("pro"));
        Assert.Equal(Plans.Get("starter"), plans.Get("starter"));
        Assert.Equal(Plans.Get("enterprise"), plans.Get("enterprise"));
    }

    [Theory]
    [InlineData("plans/pro/monthlyIncludedCredits", "-1", "$.plans.pro")]
    [InlineData("plans/starter/signUpBonusCredits", "-100", "$.plans.starter")]
    [InlineData("plans/pro/rateLimitPerMinute", "0", "$.plans.pro.rateLimitPerMinute")]
    [InlineData("defaultPlan", "\"free\"", "$.defaultPlan")]
    [InlineData("plans", "{}", "$.plans")]
    [InlineData("plans/pro/colour", "\"blue\"", "$.plans.pro.colour")]
    [InlineData("plans/pro/rateLimitPerMinute", "\"100\"", "$.plans.pro.rateLimitPerMinute")]
    public void Load_BrokenPlans_ThrowsNamingItsPath(string property, string value, string path)
    {
        var json = With(EmbeddedPlansJson(), property, value);

        var e = Assert.Throws<PriceBookFormatException>(() => LoadPlans(json, "plans.json"));

        Assert.Equal(path, e.Path);
        Assert.StartsWith("plans.json: " + path, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("defaultPlan")]
    [InlineData("plans/pro/allowsOverage")]
    public void Load_MissingRequiredProperty_ThrowsNamingIt(string property)
    {
        var json = With(EmbeddedPlansJson(), property, null);

        var e = Assert.Throws<PriceBookFormatException>(() => LoadPlans(json));

        Assert.Contains(property.Split('/')[^1], e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plans")]
    [InlineData("plans/pro")]
    [InlineData("defaultPlan")]
    public void Load_NullSection_ThrowsFormatException(string property)
    {
        var json = With(EmbeddedPlansJson(), property, "null");

        var e = Record.Exception(() => LoadPlans(json));

        Assert.IsType<PriceBookFormatException>(e);
    }

    [Fact]
    public void Load_InvalidJson_ThrowsFormatException()
    {
        var e = Assert.Throws<PriceBookFormatException>(() => LoadPlans("{ \"defaultPlan\": "));

        Assert.StartsWith("$", e.Path, StringComparison.Ordinal);
    }

    // The reason is the part of the message an operator acts on, so each rule's wording is pinned whole.
    [Theory]
    [InlineData("plans", "{}", "$.plans", "must define at least one plan.")]
    [InlineData("plans/pro", "null", "$.plans.pro", "must be an object.")]
    [InlineData("plans/pro/monthlyIncludedCredits", "-1", "$.plans.pro", "credits must not be negative.")]
    [InlineData("plans/pro/customModelAllowance", "-1", "$.plans.pro.customModelAllowance", "must not be negative, or null for unlimited.")]
    [InlineData("plans/pro/rateLimitPerMinute", "0", "$.plans.pro.rateLimitPerMinute", "must be from 1 to 1000, or null for no limit.")]
    [InlineData("plans/pro/rateLimitPerMinute", "1001", "$.plans.pro.rateLimitPerMinute", "must be from 1 to 1000, or null for no limit.")]
    [InlineData("defaultPlan", "\"free\"", "$.defaultPlan", "'free' is not one of the plans.")]
    public void Load_RuleBroken_MessageIsSourcePathAndReason(string property, string value, string path, string reason)
    {
        var json = With(EmbeddedPlansJson(), property, value);

        var e = Assert.Throws<PriceBookFormatException>(() => LoadPlans(json, "plans.json"));

        Assert.Equal(path, e.Path);
        Assert.Equal($"plans.json: {path}: {reason}", e.Message);
    }

    [Fact]
    public void Load_JsonNull_RefusedNamingPlans()
    {
        var e = Assert.Throws<PriceBookFormatException>(() => LoadPlans("null", "plans.json"));

        Assert.Equal("plans.json: $.plans: must define at least one plan.", e.Message);
    }

    [Fact]
    public void Load_RateLimitOfOne_Accepted()
    {
        var plans = LoadPlans(With(EmbeddedPlansJson(), "plans/pro/rateLimitPerMinute", "1"));

        Assert.Equal(1, plans.Get("pro").RateLimitPerMinute);
    }

    [Fact]
    public void Load_NullStream_ThrowsNamingJson()
    {
        var e = Assert.Throws<ArgumentNullException>(() => PlanCatalog.Load(null!, "x"));

        Assert.Equal("json", e.ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Load_BlankSource_ThrowsNamingSource(string source)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(EmbeddedPlansJson()));

        var e = Assert.ThrowsAny<ArgumentException>(() => PlanCatalog.Load(stream, source));

        Assert.Equal("source", e.ParamName);
    }

    [Fact]
    public void LoadFile_BlankPath_ThrowsArgumentException()
    {
        var e = Assert.Throws<ArgumentException>(() => PlanCatalog.LoadFile(" "));

        Assert.Equal("path", e.ParamName);
    }

    [Fact]
    public void LoadFile_OperatorPlans_LoadsAndNamesFileInErrors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"plans-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, With(EmbeddedPlansJson(), "defaultPlan", "\"pro\""));
            Assert.Equal("pro", PlanCatalog.LoadFile(path).Default.Name);

            File.WriteAllText(path, With(EmbeddedPlansJson(), "defaultPlan", "\"free\""));
            var e = Assert.Throws<PriceBookFormatException>(() => PlanCatalog.LoadFile(path));
            Assert.StartsWith(path + ": $.defaultPlan", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
    [Theory]
    [InlineData("starter", false)]
    [InlineData("pro", true)]
    [InlineData("enterprise", true)]
    public void LoadEmbedded_ZeroDataRetention_ProAndEnterpriseOnly(string plan, bool zeroDataRetention)
    {
        Assert.Equal(zeroDataRetention, PlanCatalog.LoadEmbedded().Get(plan).ZeroDataRetention);
    }

    [Theory]
    [InlineData("starter", 0, false)]
    [InlineData("pro", 4, true)]
    [InlineData("pro", 5, false)]
    [InlineData("pro", 7, false)]
    [InlineData("enterprise", 10_000, true)]
    public void AllowsAnotherCustomModel_Registered_FollowsTheAllowance(string plan, int registered, bool allowed)
    {
        Assert.Equal(allowed, PlanCatalog.LoadEmbedded().Get(plan).AllowsAnotherCustomModel(registered));
    }
}
