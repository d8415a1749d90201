using UsageProcessor.Metering.Ingestion;

namespace UsageProcessor.Metering.Tests.Ingestion;

public sealed class JobMessageParserTests
{
    private const string Valid = """
        {"jobId":"job_01JD:a.b-c","accountId":"acct_42","completedAt":"2026-11-26T19:20:00Z","domain":"document.invoice",
         "detail":"hi","grounding":true,"pages":3,"durationSeconds":720.5,"serviceTier":"priority","toolCalls":2,"customModel":false,
         "somethingElse":{"nested":true}}
        """;

    [Fact]
    public void ParseJob_FullMessage_ReadsEveryContractField()
    {
        var job = JobMessageParser.ParseJob(Valid).Value!;

        Assert.Equal("job_01JD:a.b-c", job.JobId);
        Assert.Equal("acct_42", job.AccountId);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 19, 20, 0, TimeSpan.Zero), job.CompletedAt);
        Assert.Equal("document.invoice", job.Usage.Domain);
        Assert.Equal("hi", job.Usage.Detail);
        Assert.True(job.Usage.Grounding);
        Assert.Equal(3m, job.Usage.Pages);
        Assert.Equal(720.5m, job.Usage.DurationSeconds);
        Assert.Equal("priority", job.Usage.ServiceTier);
        Assert.Equal(2m, job.Usage.ToolCalls);
        Assert.False(job.Usage.CustomModel);
    }

    [Fact]
    public void ParseJob_OptionalFieldsAbsentOrNull_TakeTheirDefaults()
    {
        var job = JobMessageParser.ParseJob("""
            {"jobId":"j1","accountId":"a1","completedAt":"2026-11-26T19:20:00+02:00","domain":"image.x","detail":null,"grounding":null,"serviceTier":null}
            """).Value!;

        Assert.Null(job.Usage.Detail);
        Assert.False(job.Usage.Grounding);
        Assert.Null(job.Usage.ServiceTier);
        Assert.Null(job.Usage.Pages);
        Assert.Equal(TimeSpan.FromHours(2), job.CompletedAt.Offset);
    }

    [Theory]
    [InlineData("""{"jobId":1,"accountId":"a","completedAt":"2026-11-26T19:20:00Z","domain":"d.x"}""", "jobId", "must be a string")]
    [InlineData("""{"jobId":"j","accountId":"a","completedAt":"2026-11-26T19:20:00Z","domain":"d.x","grounding":"yes"}""", "grounding", "true or false")]
    [InlineData("""{"jobId":"j","accountId":"a","completedAt":"2026-11-26T19:20:00Z","domain":"d.x","pages":[1]}""", "pages", "must be a number")]
    [InlineData("""{"jobId":"j","accountId":"a","completedAt":"2026-11-26","domain":"d.x"}""", "completedAt", "ISO 8601")]
    [InlineData("""{"jobId":"j","accountId":"a","completedAt":"1600-12-31T00:00:00Z","domain":"d.x"}""", "completedAt", "from 2000-01-01T00:00:00Z up to, not including, 9000-01-01T00:00:00Z")]
    [InlineData("""{"jobId":"j","accountId":"a","completedAt":"9999-12-31T23:59:59Z","domain":"d.x"}""", "completedAt", "from 2000-01-01T00:00:00Z up to, not including, 9000-01-01T00:00:00Z")]
    [InlineData("""{"jobId":"j","accountId":"a","completedAt":"2026-11-26T19:20:00Z"}""", "domain", "required")]
    [InlineData("""{"jobId":"j","accountId":"a","domain":"d.x"}""", "completedAt", "required")]
    [InlineData("""{"jobId":"j","accountId":"","completedAt":"2026-11-26T19:20:00Z","domain":"d.x"}""", "accountId", "required")]
    [InlineData("""{"jobId":"j","jobId":"k","accountId":"a","completedAt":"2026-11-26T19:20:00Z","domain":"d.x"}""", "$", "JSON")]
    public void ParseJob_BrokenField_NamesTheFieldAndReason(string body, string field, string reasonFragment)
    {
        var result = JobMessageParser.ParseJob(body);

        Assert.False(result.IsSuccess);
        var error = Assert.Single(result.Errors, e => e.Field == field);
        Assert.Contains(reasonFragment, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseJob_IdAtItsLengthLimits_AcceptsTheLimitAndRefusesOneMore()
    {
        static string Body(string jobId, string accountId) =>
            $$"""{"jobId":"{{jobId}}","accountId":"{{accountId}}","completedAt":"2026-11-26T19:20:00Z","domain":"d.x"}""";

        Assert.True(JobMessageParser.ParseJob(Body(new string('j', 128), new string('a', 64))).IsSuccess);
        Assert.Equal("jobId", Assert.Single(JobMessageParser.ParseJob(Body(new string('j', 129), "a")).Errors).Field);
        Assert.Equal("accountId", Assert.Single(JobMessageParser.ParseJob(Body("j", new string('a', 65))).Errors).Field);
    }

    [Fact]
    public void ParseJob_ColonInAccountId_IsRefusedThoughJobIdsMayHaveOne()
    {
        var result = JobMessageParser.ParseJob("""{"jobId":"a:b","accountId":"a:b","completedAt":"2026-11-26T19:20:00Z","domain":"d.x"}""");

        Assert.Equal("accountId", Assert.Single(result.Errors).Field);
    }

    [Theory]
    [InlineData("""{"jobId":"j","accountId":".","completedAt":"2026-11-26T19:20:00Z","domain":"d.x"}""", "accountId")]
    [InlineData("""{"jobId":"j","accountId":"..","completedAt":"2026-11-26T19:20:00Z","domain":"d.x"}""", "accountId")]
    [InlineData("""{"jobId":".","accountId":"a","completedAt":"2026-11-26T19:20:00Z","domain":"d.x"}""", "jobId")]
    [InlineData("""{"jobId":"..","accountId":"a","completedAt":"2026-11-26T19:20:00Z","domain":"d.x"}""", "jobId")]
    public void ParseJob_DotSegmentId_IsRefused(string body, string field)
    {
        var error = Assert.Single(JobMessageParser.ParseJob(body).Errors);

        Assert.Equal(field, error.Field);
        Assert.Contains("'..'", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"jobId":"j","accountId":"a","completedAt":"2026-11-26T19:20:00Z","domain":"d.x","detail":"\ud800"}""", "detail")]
    [InlineData("""{"jobId":"j\udc00","accountId":"a","completedAt":"2026-11-26T19:20:00Z","domain":"d.x"}""", "jobId")]
    [InlineData("""{"jobId":"j","accountId":"a","completedAt":"2026-11-26T19:20:00Z","domain":"d.x","extra":{"list":["\ud83d"]}}""", "extra.list[0]")]
    public void ParseJob_LoneSurrogateEscape_IsRefusedNamingTheField(string body, string field)
    {
        var result = JobMessageParser.ParseJob(body);

        Assert.False(result.IsSuccess);
        Assert.Contains("lone UTF-16 surrogate", Assert.Single(result.Errors, e => e.Field == field).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseJob_LoneSurrogateCharacterInTheText_IsRefusedAsText()
    {
        var result = JobMessageParser.ParseJob("{\"jobId\":\"j\ud800\"}");

        Assert.Equal("$", Assert.Single(result.Errors).Field);
    }

    [Fact]
    public void ParseJob_LeadingByteOrderMark_IsAccepted()
    {
        var result = JobMessageParser.ParseJob("\uFEFF" + Valid);

        Assert.True(result.IsSuccess, string.Join("; ", result.Errors));
    }

    [Theory]
    [InlineData("""{"jobId":"job-ts","accountId":"acct-ts","completedAt":"2026-11-26T19:20:00","domain":"document.invoice","pages":1}""", "completedAt")]
    [InlineData("""{"jobId":"job-ts","accountId":"acct-ts","completedAt":"2026-11-26T19:20:00Z","domain":"document.invoice","pages":"1"}""", "pages")]
    public void ParseJob_OtherFieldUnreadable_KeepsTheIds(string body, string field)
    {
        var result = JobMessageParser.ParseJob(body);

        Assert.Equal(field, Assert.Single(result.Errors).Field);
        Assert.Equal("job-ts", result.JobId);
        Assert.Equal("acct-ts", result.AccountId);
    }

    [Theory]
    [InlineData("pages", "1.0000000000000000000000000000001")]
    [InlineData("toolCalls", "2.00000000000000000000000000000000001")]
    public void ParseJob_WholeNumberBeyondDecimalPrecision_IsRefused(string field, string number)
    {
        var result = JobMessageParser.ParseJob(
            $$"""{"jobId":"j","accountId":"a","completedAt":"2026-11-26T19:20:00Z","domain":"agent.x","{{field}}":{{number}}}""");

        Assert.Contains("whole number", Assert.Single(result.Errors, e => e.Field == field).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"outcome\":\"partial\",\"processedUnits\":2.5", "partial", "2.5")]
    [InlineData("\"outcome\":\"failed\"", "failed", null)]
    [InlineData("\"outcome\":null,\"processedUnits\":null", null, null)]
    public void ParseJob_Outcome_ReadsOutcomeAndProcessedUnits(string fields, string? outcome, string? processed)
    {
        var job = JobMessageParser.ParseJob(
            $$"""{"jobId":"j","accountId":"a","completedAt":"2026-11-26T19:20:00Z","domain":"audio.call","durationSeconds":10,{{fields}}}""").Value!;

        Assert.Equal(outcome, job.Usage.Outcome);
        Assert.Equal(processed is null ? null : decimal.Parse(processed, System.Globalization.CultureInfo.InvariantCulture), job.Usage.ProcessedUnits);
    }

    [Theory]
    [InlineData("\"outcome\":1", "outcome", "must be a string; got a number.")]
    [InlineData("\"outcome\":\"partial\",\"processedUnits\":\"3\"", "processedUnits", "must be a number; got a string.")]
    public void ParseJob_OutcomeFieldOfTheWrongType_NamesIt(string fields, string field, string reason)
    {
        var result = JobMessageParser.ParseJob(
            $$"""{"jobId":"j","accountId":"a","completedAt":"2026-11-26T19:20:00Z","domain":"document.invoice","pages":3,{{fields}}}""");

        Assert.Equal(new FieldError(field, reason), Assert.Single(result.Errors));
    }

    // The schema published for senders (docs/job-completed.schema.json) and the parser agree on the fields: every
    // property the schema lists is one the parser reads (so a value of the wrong type is named), and every example parses.
    [Fact]
    public void ParseJob_EveryFieldOfThePublishedSchema_IsReadAndItsExamplesParse()
    {
        var schema = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(SchemaPath()))!.AsObject();
        var properties = schema["properties"]!.AsObject().Select(p => p.Key).ToList();

        foreach (var name in properties)
        {
            var body = new System.Text.Json.Nodes.JsonObject
            {
                ["jobId"] = "j", ["accountId"] = "a", ["completedAt"] = "2026-11-26T19:20:00Z", ["domain"] = "document.invoice", ["pages"] = 1,
            };
            body[name] = new System.Text.Json.Nodes.JsonObject();
            Assert.Contains(JobMessageParser.ParseJob(body.ToJsonString()).Errors, e => e.Field == name);
        }

        Assert.Contains("outcome", properties);
        Assert.Contains("processedUnits", properties);
        Assert.All(schema["examples"]!.AsArray(), example => Assert.True(JobMessageParser.ParseJob(example!.ToJsonString()).IsSuccess, example!.ToJsonString()));
    }

    private static string SchemaPath()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Serverless.sln")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Serverless.sln not found."), "docs", "job-completed.schema.json");
    }

    private const string Head = """{"jobId":"j","accountId":"a","completedAt":"2026-11-26T19:20:00Z","domain":"d.x",""";

    [Fact]
    public void ParseJob_Attribution_ReadsProjectKeyEndUserAndSortedTags()
    {
        var job = JobMessageParser.ParseJob(Head + """
            "projectId":"proj-1","apiKeyId":"key_7","endUserId":"user:42","tags":{"team":"search","env":"prod"}}
            """).Value!;

        Assert.Equal("proj-1", job.Attribution.ProjectId);
        Assert.Equal("key_7", job.Attribution.ApiKeyId);
        Assert.Equal("user:42", job.Attribution.EndUserId);
        Assert.Equal(["env", "team"], job.Attribution.Tags.Keys);
        Assert.Equal("search", job.Attribution.Tags["team"]);
    }

    [Fact]
    public void ParseJob_NoAttribution_IsNone()
    {
        var job = JobMessageParser.ParseJob(Head + """ "projectId":null,"tags":null}""").Value!;

        Assert.Same(UsageProcessor.Metering.Billing.JobAttribution.None, job.Attribution);
    }

    [Theory]
    [InlineData(""" "projectId":"a:b"}""", "projectId", "may contain only")]
    [InlineData(""" "projectId":7}""", "projectId", "must be a string")]
    [InlineData(""" "apiKeyId":"k/1"}""", "apiKeyId", "may contain only")]
    [InlineData(""" "apiKeyId":".."}""", "apiKeyId", "'.' or '..'")]
    [InlineData(""" "endUserId":"u u"}""", "endUserId", "may contain only")]
    [InlineData(""" "tags":["a"]}""", "tags", "must be an object")]
    [InlineData(""" "tags":{"Team":"x"}}""", "tags.Team", "lowercase")]
    [InlineData(""" "tags":{"team":3}}""", "tags.team", "must be a string")]
    [InlineData(""" "tags":{"team":""}}""", "tags.team", "1 to 64 characters")]
    [InlineData(""" "tags":{"team":"a\nb"}}""", "tags.team", "control characters")]
    [InlineData(""" "tags":{"a":"1","b":"1","c":"1","d":"1","e":"1","f":"1","g":"1","h":"1","i":"1"}}""", "tags", "at most 8 tags")]
    public void ParseJob_BadAttribution_NamesTheFieldAndReason(string tail, string field, string reasonFragment)
    {
        var result = JobMessageParser.ParseJob(Head + tail);

        Assert.False(result.IsSuccess);
        var error = Assert.Single(result.Errors, e => e.Field == field);
        Assert.Contains(reasonFragment, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseJob_AttributionAtItsLengthLimits_AcceptsTheLimitAndRefusesOneMore()
    {
        static string Body(int project, int endUser, int tagName, int tagValue) => Head +
            "\"projectId\":\"" + new string('p', project) + "\",\"apiKeyId\":\"" + new string('k', project) + "\",\"endUserId\":\"" + new string('u', endUser)
            + "\",\"tags\":{\"" + new string('t', tagName) + "\":\"" + new string('v', tagValue) + "\"}}";

        Assert.True(JobMessageParser.ParseJob(Body(64, 128, 32, 64)).IsSuccess);
        Assert.Equal(["apiKeyId", "endUserId", "projectId", "tags." + new string('t', 33)],
            JobMessageParser.ParseJob(Body(65, 129, 33, 64)).Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
        Assert.Equal("tags.ttt", Assert.Single(JobMessageParser.ParseJob(Body(1, 1, 3, 65)).Errors).Field);
    }
}
