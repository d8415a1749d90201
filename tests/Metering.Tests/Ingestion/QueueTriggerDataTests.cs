using UsageProcessor.Metering.Ingestion;

namespace UsageProcessor.Metering.Tests.Ingestion;

/// <summary>Both hosts read a queue trigger's id and insertion time through one function.</summary>
public sealed class QueueTriggerDataTests
{
    private static readonly DateTimeOffset Inserted = new(2026, 11, 26, 12, 0, 5, TimeSpan.Zero);

    [Fact]
    public void JobMessage_FunctionsAndWebJobsBindingData_ReadTheSameMessage()
    {
        // The Functions worker passes the insertion time as a JSON date string; the WebJobs SDK as a DateTimeOffset.
        var functions = QueueTriggerData.JobMessage("{}", new Dictionary<string, object?> { ["Id"] = "m-1", ["InsertionTime"] = "\"2026-11-26T12:00:05+00:00\"" });
        var webJobs = QueueTriggerData.JobMessage("{}", new Dictionary<string, object?> { ["Id"] = "m-1", ["InsertionTime"] = Inserted });

        Assert.Equal(new JobMessage("{}", "m-1", Inserted), functions);
        Assert.Equal(functions, webJobs);
    }

    [Fact]
    public void JobMessage_NoBindingData_HasNoIdOrInsertionTime()
    {
        var message = QueueTriggerData.JobMessage("{}", new Dictionary<string, object?>());

        Assert.Null(message.MessageId);
        Assert.Null(message.InsertedAt);
    }
}
