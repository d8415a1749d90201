using System.Text;
using UsageProcessor.Metering.Http.Events;

namespace UsageProcessor.Metering.Tests.Api;

public sealed class EventBatchReaderTests
{
    private const string Job = """{"jobId":"j-1","accountId":"acct","completedAt":"2026-11-26T12:00:00Z","domain":"document.invoice","pages":1}""";

    private static EventBatch Read(string body, string mediaType) => EventBatchReader.Read(Encoding.UTF8.GetBytes(body), mediaType);

    [Theory]
    [InlineData(null, "application/json")]
    [InlineData("application/json; charset=utf-8", "application/json")]
    [InlineData("application/x-ndjson", "application/x-ndjson")]
    [InlineData("application/jsonl", "application/x-ndjson")]
    [InlineData("Application/CloudEvents-Batch+JSON", "application/cloudevents-batch+json")]
    [InlineData("application/cloudevents+json; charset=utf-8", "application/cloudevents+json")]
    [InlineData("text/plain", null)]
    [InlineData("not a media type", null)]
    public void MediaTypeOf_ContentType_IsTheFormatReadOrNull(string? contentType, string? expected)
    {
        Assert.Equal(expected, EventBatchReader.MediaTypeOf(contentType));
    }

    [Fact]
    public void Read_JsonArrayWithANonObject_RefusesOnlyThatEvent()
    {
        using var batch = Read($"[{Job}, 42, {Job}]", EventBatchReader.JsonArray);

        Assert.Empty(batch.Errors);
        Assert.Equal(3, batch.Events.Count);
        Assert.NotNull(batch.Events[0].Job);
        Assert.Null(batch.Events[1].Job);
        Assert.Contains("a number", batch.Events[1].Errors.Single().Reason, StringComparison.Ordinal);
        Assert.NotNull(batch.Events[2].Job);
    }

    [Theory]
    [InlineData("{\"jobId\":1", "$")]
    [InlineData("{\"a\":1}", "$")]
    public void Read_JsonBodyNotAnArray_RefusesTheBody(string body, string field)
    {
        using var batch = Read(body, EventBatchReader.JsonArray);

        Assert.Empty(batch.Events);
        Assert.Equal(field, batch.Errors[0].Field);
    }

    [Fact]
    public void Read_NdJsonWithBlankAndBrokenLines_CountsNonBlankLinesAndRefusesOnlyTheBrokenOne()
    {
        using var batch = Read($"{Job}\r\n\n   \n{{broken\n{Job}", EventBatchReader.NdJson);

        Assert.Empty(batch.Errors);
        Assert.Equal(3, batch.Events.Count);
        Assert.NotNull(batch.Events[0].Job);
        Assert.Null(batch.Events[1].Job);
        Assert.StartsWith("line 4:", batch.Events[1].Errors.Single().Reason, StringComparison.Ordinal);
        Assert.NotNull(batch.Events[2].Job);
    }

    [Fact]
    public void Read_CloudEventsBatch_ReadsDataAndRefusesEventsWithoutTheirAttributes()
    {
        var good = $$"""{"specversion":"1.0","id":"e-1","source":"/pipelines/ocr","type":"{{EventBatchReader.JobCompletedType}}","datacontenttype":"application/json","data":{{Job}}}""";
        var wrongType = $$"""{"specversion":"1.0","id":"e-2","source":"/p","type":"com.example.other","data":{{Job}}}""";
        var noId = $$"""{"specversion":"1.0","source":"/p","type":"{{EventBatchReader.JobCompletedType}}","data":{{Job}}}""";
        var textData = $$"""{"specversion":"1.0","id":"e-4","source":"/p","type":"{{EventBatchReader.JobCompletedType}}","datacontenttype":"text/plain","data":"hello"}""";

        using var batch = Read($"[{good},{wrongType},{noId},{textData}]", EventBatchReader.CloudEventsBatch);

        Assert.Empty(batch.Errors);
        Assert.Equal("j-1", batch.Events[0].Job!.Value.GetProperty("jobId").GetString());
        Assert.Equal("data.", batch.Events[0].FieldPrefix);
        Assert.Empty(batch.Events[0].Errors);
        Assert.Equal(["type"], batch.Events[1].Errors.Select(e => e.Field));
        Assert.Null(batch.Events[2].Job);
        Assert.Equal("$", batch.Events[2].Errors.Single().Field);
        Assert.Contains(batch.Events[3].Errors, e => e.Field == "datacontenttype");
    }

    [Fact]
    public void Read_SingleCloudEvent_IsABatchOfOne()
    {
        using var batch = Read($$"""{"specversion":"1.0","id":"e-1","source":"/p","type":"{{EventBatchReader.JobCompletedType}}","data":{{Job}}}""", EventBatchReader.CloudEvent);

        Assert.Empty(Assert.Single(batch.Events).Errors);
    }

    [Fact]
    public void Read_LoneSurrogateEscape_RefusesLikeAQueueMessage()
    {
        using var batch = Read("""[{"jobId":"\ud800"}]""", EventBatchReader.JsonArray);

        Assert.NotEmpty(batch.Errors);
    }
}
