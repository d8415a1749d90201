using System.Text;
using CsCheck;
using UsageProcessor.Metering.Ingestion;

namespace UsageProcessor.Metering.Tests.Ingestion;

public sealed class JobEnvelopeTests
{
    private static (string AccountId, ReadOnlyMemory<byte> Json) Job(string accountId, string jobId, int padding = 0) =>
        (accountId, Encoding.UTF8.GetBytes($$"""{"jobId":"{{jobId}}","accountId":"{{accountId}}","note":"{{new string('x', padding)}}"}"""));

    [Fact]
    public void Pack_JobsOfSeveralAccounts_KeepsEachAccountsJobsTogetherInOrderOfFirstAppearance()
    {
        var envelopes = JobEnvelope.Pack([Job("b", "1"), Job("a", "2"), Job("b", "3"), Job("c", "4"), Job("a", "5")]);

        var envelope = Assert.Single(envelopes);
        Assert.Equal([0, 2, 1, 4, 3], envelope.Jobs);
        using var read = JobEnvelope.Read(envelope.Text)!;
        Assert.Empty(read.Errors);
        Assert.Equal(["1", "3", "2", "5", "4"], read.Jobs.Select(j => j.GetProperty("jobId").GetString()));
    }

    [Fact]
    public void Pack_MoreThanFitsOneEnvelope_StartsAnotherAndEachFitsAQueueMessageOnceBase64()
    {
        var jobs = Enumerable.Range(0, 400).Select(i => Job("acct", $"job-{i}", padding: 300)).ToList();

        var envelopes = JobEnvelope.Pack(jobs);

        Assert.True(envelopes.Count > 1);
        Assert.All(envelopes, e =>
        {
            Assert.True(Encoding.UTF8.GetByteCount(e.Text) <= JobEnvelope.MaxBytes);
            Assert.True(Convert.ToBase64String(Encoding.UTF8.GetBytes(e.Text)).Length <= 64 * 1024);
        });
        // As full as fits: every envelope but the last could not take the next job.
        Assert.All(envelopes.SkipLast(1), e => Assert.True(Encoding.UTF8.GetByteCount(e.Text) + 1 + jobs[0].Json.Length > JobEnvelope.MaxBytes));
    }

    [Fact]
    public void Pack_AnyJobsWithinTheJobLimit_CarriesEachExactlyOnceWithinTheEnvelopeLimit()
    {
        Gen.Select(Gen.Int[0, 4], Gen.Int[0, 6_000]).Array[0, 120].Sample(spec =>
        {
            var jobs = spec.Select((s, i) => Job($"acct-{s.Item1}", $"job-{i}", s.Item2)).ToList();

            var envelopes = JobEnvelope.Pack(jobs);

            Assert.Equal(Enumerable.Range(0, jobs.Count), envelopes.SelectMany(e => e.Jobs).Order());
            Assert.All(envelopes, e =>
            {
                Assert.True(Encoding.UTF8.GetByteCount(e.Text) <= JobEnvelope.MaxBytes);
                using var read = JobEnvelope.Read(e.Text)!;
                Assert.Equal(e.Jobs.Select(i => Encoding.UTF8.GetString(jobs[i].Json.Span)), read.Jobs.Select(j => j.GetRawText()));
            });
        }, iter: 200);
    }

    [Fact]
    public void Pack_JobLargerThanAnEnvelopeTakes_Throws()
    {
        Assert.Throws<ArgumentException>(() => JobEnvelope.Pack([Job("a", "1", JobEnvelope.MaxJobBytes)]));
    }

    [Fact]
    public void Read_JobAsDeepAsASingleMessageMayBe_IsReadInsideTheEnvelope()
    {
        // A job of the deepest nesting a single-job message allows (its own object plus 15 levels of an unknown field).
        var deep = string.Concat(Enumerable.Repeat("{\"x\":", JobMessageParser.MaxDepth - 1)) + "1" + new string('}', JobMessageParser.MaxDepth - 1);
        var job = $$"""{"jobId":"deep","accountId":"a","note":{{deep}}}""";
        Assert.True(JobMessageParser.TryParseDocument(job, out var alone, out _));
        alone!.Dispose();

        using var read = JobEnvelope.Read(Assert.Single(JobEnvelope.Pack([("a", Encoding.UTF8.GetBytes(job))])).Text);

        Assert.NotNull(read);
        Assert.Equal("deep", Assert.Single(read.Jobs).GetProperty("jobId").GetString());
    }

    [Theory]
    [InlineData("""{"jobId":"j","accountId":"a"}""")]
    [InlineData("""{"jobId":"j","note":"mentions \"envelope\" in a value"}""")]
    [InlineData("""["envelope"]""")]
    [InlineData("not json \"envelope\"")]
    public void Read_NotAnEnvelope_IsNull(string body)
    {
        Assert.Null(JobEnvelope.Read(body));
    }

    [Theory]
    [InlineData("""{"envelope":"other","version":1,"jobs":[{}]}""", "envelope")]
    [InlineData("""{"envelope":"job-completed-batch","version":2,"jobs":[{}]}""", "version")]
    [InlineData("""{"envelope":"job-completed-batch","jobs":[{}]}""", "version")]
    [InlineData("""{"envelope":"job-completed-batch","version":1,"jobs":{}}""", "jobs")]
    [InlineData("""{"envelope":"job-completed-batch","version":1,"jobs":[]}""", "jobs")]
    public void Read_BrokenEnvelope_NamesTheField(string body, string field)
    {
        using var read = JobEnvelope.Read(body);

        Assert.NotNull(read);
        Assert.Empty(read.Jobs);
        Assert.Equal([field], read.Errors.Select(e => e.Field));
    }
}
