namespace UsageProcessor.Pricing.Tests;

/// <summary>The syntax of custom model ids.</summary>
public class ModelIdsTests
{
    [Theory]
    [InlineData("acme-invoices-v2")]
    [InlineData("0model")]
    [InlineData("a.b_c-d")]
    public void Check_ValidId_IsNull(string modelId) => Assert.Null(ModelIds.Check(modelId));

    [Theory]
    [InlineData(null, "is required.")]
    [InlineData("", "is required.")]
    [InlineData(".", "must start with a lowercase letter or a digit.")]
    [InlineData("..", "must start with a lowercase letter or a digit.")]
    [InlineData("Acme", "must start with a lowercase letter or a digit.")]
    [InlineData("acme/v2", "may contain only lowercase letters, digits, '.', '_' and '-'.")]
    [InlineData("acme v2", "may contain only lowercase letters, digits, '.', '_' and '-'.")]
    [InlineData("acmE", "may contain only lowercase letters, digits, '.', '_' and '-'.")]
    public void Check_InvalidId_SaysWhy(string? modelId, string reason) => Assert.Equal(reason, ModelIds.Check(modelId));

    [Fact]
    public void Check_LongestAllowed_IsValidAndOneMoreIsNot()
    {
        Assert.Null(ModelIds.Check(new string('a', ModelIds.MaxLength)));
        Assert.Equal("must be at most 64 characters; got 65.", ModelIds.Check(new string('a', ModelIds.MaxLength + 1)));
    }
}
