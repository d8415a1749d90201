using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Configuration;

namespace UsageProcessor.Metering.Webhooks;

/// <summary>Registers the alert outbox, subscriptions and delivery, and the webhook client delivery posts with.</summary>
internal static class WebhooksServiceCollectionExtensions
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<AlertOutbox>();
        services.TryAddSingleton<GrantExpiryWatch>();
        // Told of every billed batch before it is written, so the outbox marks the account pending in the same transaction.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICommitObserver, AlertOutboxObserver>());
        services.TryAddSingleton<AlertSubscriptions>();
        services.TryAddSingleton<AlertDeliveryState>();
        services.TryAddSingleton<AlertDelivery>();
        services.TryAddSingleton<WebhookDeliveryLog>();
        services.TryAddSingleton<SubscriptionHealthStore>();
        services.TryAddSingleton<WebhookSender>();
        services.TryAddSingleton<WebhookDispatches>();
        AddWebhookClient(services, configuration);
        return services;
    }

    private static void AddWebhookClient(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookDeliveryOptions>()
            .Bind(configuration.GetSection(WebhookDeliveryOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var webhooks = services.AddHttpClient(AlertDelivery.HttpClientName, client =>
            {
                client.DefaultRequestHeaders.UserAgent.ParseAdd("usage-processor-webhooks/1.0");
                // The resilience handler owns every timeout; the client's own 100 s would cut retries short.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var allowLoopback = sp.GetRequiredService<IOptions<MeteringOptions>>().Value.AllowLoopbackWebhooks;
                return new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    UseProxy = false,
                    ConnectCallback = (context, ct) => WebhookAddressPolicy.ConnectAsync(context.DnsEndPoint, allowLoopback, ct),
                };
            });
        webhooks.AddResilienceHandler("webhook", (builder, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptions<WebhookDeliveryOptions>>().Value;
                var clock = context.ServiceProvider.GetRequiredService<TimeProvider>();
                // Back-off is real waiting on I/O, not business time: never the injected (possibly fake) clock.
                builder.TimeProvider = TimeProvider.System;
                builder.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = o.MaxRetryAttempts,
                    Delay = o.RetryDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldRetryAfterHeader = true,
                    // A refused address stays refused: retrying would only delay the poison message that says why.
                    ShouldHandle = args => ValueTask.FromResult(
                        AlertDelivery.RefusalIn(args.Outcome.Exception) is null && HttpClientResiliencePredicates.IsTransient(args.Outcome)),
                    // The delivery log shows when the next attempt is due, on the attempt that failed.
                    OnRetry = args =>
                    {
                        if (args.Context.GetRequestMessage() is { } request && request.Options.TryGetValue(WebhookAttemptCollector.Key, out var collector))
                        {
                            collector.RetryAt(clock.GetUtcNow() + args.RetryDelay);
                        }

                        return ValueTask.CompletedTask;
                    },
                });
                builder.AddTimeout(o.AttemptTimeout);
            });
        // Added after the resilience handler, so inside its retries: each attempt is recorded on its own.
        webhooks.AddHttpMessageHandler(sp => new WebhookAttemptRecorder(sp.GetRequiredService<TimeProvider>()));
    }
}
