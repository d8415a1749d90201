using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Azure.WebJobs.Host;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using UsageProcessor.Host.Tests.Infrastructure;

namespace UsageProcessor.Host.Tests;

public sealed class HostJsonTests
{
    [Fact]
    public async Task QueuesOptions_SelfHost_BindFromTheRootHostJson()
    {
        using var hostJson = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "host.json")));
        var queues = hostJson.RootElement.GetProperty("extensions").GetProperty("queues");
        await using var app = SelfHostApp.Build(["--AzureWebJobsStorage=UseDevelopmentStorage=true"]);

        var options = app.Services.GetRequiredService<IOptions<QueuesOptions>>().Value;

        Assert.Equal(queues.GetProperty("batchSize").GetInt32(), options.BatchSize);
        Assert.Equal(queues.GetProperty("newBatchThreshold").GetInt32(), options.NewBatchThreshold);
        Assert.Equal(queues.GetProperty("maxDequeueCount").GetInt32(), options.MaxDequeueCount);
        Assert.Equal(TimeSpan.Parse(queues.GetProperty("visibilityTimeout").GetString()!, System.Globalization.CultureInfo.InvariantCulture), options.VisibilityTimeout);
        Assert.Equal(TimeSpan.Parse(queues.GetProperty("maxPollingInterval").GetString()!, System.Globalization.CultureInfo.InvariantCulture), options.MaxPollingInterval);
        Assert.Equal("base64", queues.GetProperty("messageEncoding").GetString());
        Assert.Equal(QueueMessageEncoding.Base64, options.MessageEncoding);
    }

    [Fact]
    public async Task QueuesOptions_AppSettingUnderAzureFunctionsJobHost_OverridesHostJson()
    {
        await using var app = SelfHostApp.Build(
            ["--AzureWebJobsStorage=UseDevelopmentStorage=true", "--AzureFunctionsJobHost:extensions:queues:batchSize=3"]);

        var options = app.Services.GetRequiredService<IOptions<QueuesOptions>>().Value;

        Assert.Equal(3, options.BatchSize);
    }
}
