using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Metering.Tests.Api;

public sealed class ApiProblemsTests
{
    public static TheoryData<Exception> ContentionFailures => new()
    {
        new RequestFailedException(412, "The update condition specified in the request was not satisfied."),
        new RequestFailedException(409, "The specified entity already exists."),
        new ContentionException("acct", new RequestFailedException(412, "lost")),
    };

    [Theory]
    [MemberData(nameof(ContentionFailures))]
    public async Task ForException_LostOptimisticRace_Is503WithRetryAfter(Exception exception)
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();

        await ApiProblems.ForException(exception)!.ExecuteAsync(context);

        Assert.Equal(503, context.Response.StatusCode);
        Assert.Equal("1", context.Response.Headers.RetryAfter.ToString());
        Assert.Equal("application/problem+json", context.Response.ContentType);
    }

    [Fact]
    public async Task ForException_NewRowThatExists_Is409WithoutRetryAfter()
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();

        await ApiProblems.ForException(new Metering.Partition.PartitionRowExistsException("acct", "grant|sign-up"))!.ExecuteAsync(context);

        Assert.Equal(409, context.Response.StatusCode);
        Assert.Equal(string.Empty, context.Response.Headers.RetryAfter.ToString());
    }

    [Fact]
    public void ForException_OtherFailure_IsLeftToTheCaller()
    {
        Assert.Null(ApiProblems.ForException(new RequestFailedException(500, "Internal error")));
        Assert.Null(ApiProblems.ForException(new InvalidOperationException("boom")));
    }
}
