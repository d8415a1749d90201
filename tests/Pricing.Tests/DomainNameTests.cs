namespace UsageProcessor.Pricing.Tests;

/// <summary>The <c>family.name</c> syntax of domains.</summary>
public class DomainNameTests
{
    [Theory]
    [InlineData("document.invoice", "document", "invoice")]
    [InlineData("healthcare.phi-redaction", "healthcare", "phi-redaction")]
    [InlineData("web.page", "web", "page")]
    [InlineData("document.tax.w2", "document", "tax.w2")]
    [InlineData("a1.b_c", "a1", "b_c")]
    [InlineData("x-ray.chest_scan", "x-ray", "chest_scan")]
    [InlineData("a.b", "a", "b")]
    public void TrySplit_WellFormed_SplitsAtFirstDot(string domain, string family, string name)
    {
        Assert.True(DomainName.TrySplit(domain, out var f, out var n));
        Assert.Equal(family, f.ToString());
        Assert.Equal(name, n.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("document")]
    [InlineData("document.")]
    [InlineData(".invoice")]
    [InlineData("Document.invoice")]
    [InlineData("document.Invoice")]
    [InlineData("document invoice")]
    [InlineData("document. invoice")]
    [InlineData("doc_x.invoice")]
    [InlineData("1doc.invoice")]
    [InlineData("-doc.invoice")]
    [InlineData("document..invoice")]
    [InlineData("document.invoice.")]
    [InlineData("document/invoice")]
    [InlineData("document.invoice\n")]
    [InlineData("d\u00f6cument.invoice")]
    public void TrySplit_Malformed_Refused(string domain)
    {
        Assert.False(DomainName.TrySplit(domain, out _, out _));
    }

    [Fact]
    public void TrySplit_AtMaxLength_Accepted()
    {
        var domain = "document." + new string('a', DomainName.MaxLength - "document.".Length);

        Assert.Equal(128, domain.Length);
        Assert.True(DomainName.TrySplit(domain, out _, out _));
    }

    [Fact]
    public void TrySplit_OverMaxLength_Refused()
    {
        var domain = "document." + new string('a', DomainName.MaxLength - "document.".Length + 1);

        Assert.Equal(129, domain.Length);
        Assert.False(DomainName.TrySplit(domain, out _, out _));
    }

    [Theory]
    [InlineData("document", true)]
    [InlineData("web-2", true)]
    [InlineData("a", true)]
    [InlineData("x-ray", true)]
    [InlineData("", false)]
    [InlineData("2web", false)]
    [InlineData("-web", false)]
    [InlineData("Doc", false)]
    [InlineData("do_c", false)]
    [InlineData("doc.x", false)]
    [InlineData("doc ", false)]
    public void IsValidFamily_Name_MatchesSyntax(string family, bool valid)
    {
        Assert.Equal(valid, DomainName.IsValidFamily(family));
    }
}
