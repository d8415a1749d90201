using Azure.Core;
using Azure.Storage.Queues;
using UsageProcessor.Host.Hosting;
using UsageProcessor.Host.Tests.Infrastructure;

namespace UsageProcessor.Host.Tests;

/// <summary>The lease rewrite, against a real queue in Azurite.</summary>
public sealed class QueueLeasePolicyTests(DedicatedAzurite azurite) : IClassFixture<DedicatedAzurite>
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task OnSendingRequest_ListenersTenMinuteReceive_LeasesForTheConfiguredTime()
    {
        var queue = await QueueAsync();
        await queue.SendMessageAsync("job");

        var received = (await queue.ReceiveMessageAsync(QueueLeasePolicy.ListenerLease)).Value;

        var leased = received.NextVisibleOn!.Value - DateTimeOffset.UtcNow;
        Assert.InRange(leased, Lease - TimeSpan.FromSeconds(10), Lease + TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task OnSendingRequest_ListenersRenewal_RenewsForTheConfiguredTime()
    {
        var queue = await QueueAsync();
        await queue.SendMessageAsync("job");
        var received = (await queue.ReceiveMessageAsync(TimeSpan.FromSeconds(5))).Value;

        var renewed = (await queue.UpdateMessageAsync(received.MessageId, received.PopReceipt, visibilityTimeout: QueueLeasePolicy.ListenerLease)).Value;

        Assert.InRange(renewed.NextVisibleOn - DateTimeOffset.UtcNow, Lease - TimeSpan.FromSeconds(10), Lease + TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task OnSendingRequest_OtherVisibility_PassesUnchanged()
    {
        var queue = await QueueAsync();
        await queue.SendMessageAsync("job");

        // What host.json's visibilityTimeout asks for a failed message, or any other figure: not the listener's lease.
        var received = (await queue.ReceiveMessageAsync(TimeSpan.FromSeconds(300))).Value;

        Assert.InRange(received.NextVisibleOn!.Value - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(280), TimeSpan.FromSeconds(305));
    }

    private async Task<QueueClient> QueueAsync()
    {
        var options = new QueueClientOptions();
        options.AddPolicy(new QueueLeasePolicy(Lease), HttpPipelinePosition.PerCall);
        var queue = new QueueClient(azurite.ConnectionString, $"lease-{Guid.NewGuid():N}", options);
        await queue.CreateAsync();
        return queue;
    }
}
