using System.Text.Json.Nodes;
using UsageProcessor.Metering.Tests.Infrastructure;

namespace UsageProcessor.Metering.Tests.Api;

public sealed class DocumentSchemasTests
{
    private static readonly JsonNode Balance = JsonNode.Parse("""{"$ref":"#/components/schemas/AccountView"}""")!;

    [Theory]
    [InlineData("""{"accountId":"a","plan":"pro","createdAt":"2026-11-01T00:00:00Z","planHistory":[],"walletCredits":1.5}""", true)]
    [InlineData("""{"accountId":"a","plan":"pro","createdAt":"2026-11-01T00:00:00Z","planHistory":[]}""", false)]
    [InlineData("""{"accountId":"a","plan":"gold","createdAt":"2026-11-01T00:00:00Z","planHistory":[],"walletCredits":1.5}""", false)]
    [InlineData("""{"accountId":"a","plan":"pro","createdAt":"2026-11-01T00:00:00Z","planHistory":[],"walletCredits":"1.5"}""", false)]
    [InlineData("""{"accountId":"a","plan":"pro","createdAt":"2026-11-01T00:00:00Z","planHistory":[],"walletCredits":1.5,"extra":1}""", false)]
    public void Check_AnswerAgainstItsSchema_RefusesMissingWrongAndUndocumentedMembers(string body, bool conforms)
    {
        var errors = DocumentSchemas.Check(Balance, body);

        Assert.Equal(conforms, errors.Count == 0);
    }
}
