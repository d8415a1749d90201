using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Telemetry;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Admission;
using UsageProcessor.Metering.Alerts;
using UsageProcessor.Metering.Balances;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Credits;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Models;
using UsageProcessor.Metering.Operations;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Metering.Retention;
using UsageProcessor.Metering.Statements;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Metering.Telemetry;
using UsageProcessor.Metering.Usage;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering;

/// <summary>Registers the metering core; both hosts call this, then Metering.Http's <c>AddMeteringHttp</c> for the routes.</summary>
public static class MeteringServiceCollectionExtensions
{
    /// <summary>Adds the metering core, its options (validated at start-up) and its storage clients.</summary>
    public static IServiceCollection AddMeteringCore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<MeteringOptions>()
            .Bind(configuration.GetSection(MeteringNames.OptionsSection))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<StoragePipelineOptions>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<QueueDepths>();
        services.TryAddSingleton<MeteringMetrics>();
        services.TryAddSingleton<QueueDepthSampler>();
        services.AddOptions<StorageChaosOptions>()
            .Bind(configuration.GetSection(StorageChaosOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageChaosOptions>, StorageChaosGuard>());
        services.TryAddSingleton(sp => StorageAccount.FromConfiguration(
            configuration, MeteringNames.StorageConnection, sp.GetRequiredService<MeteringMetrics>(), sp.GetRequiredService<IOptions<StorageChaosOptions>>().Value));
        services.TryAddSingleton<MeteringTables>();
        services.AddResiliencePipeline(StoragePipelines.StorageKey, (builder, context) => StoragePipelines.AddTransientRetry(builder, context));
        services.AddResiliencePipeline(StoragePipelines.AfterCommitKey, (builder, context) => StoragePipelines.AddTransientRetry(builder, context));
        services.AddResiliencePipeline(StoragePipelines.ContentionKey, (builder, context) => StoragePipelines.AddContentionRetry(builder, context));
        services.TryAddSingleton<StoragePipelines>();
        services.Configure<TelemetryOptions>(o =>
        {
            // A lost ETag race is expected under load and re-run by design: its Polly events are Debug, not Warning.
            var severity = o.SeverityProvider;
            o.SeverityProvider = args => args.Source.PipelineName == StoragePipelines.ContentionKey
                ? ResilienceEventSeverity.Debug
                : severity?.Invoke(args) ?? args.Event.Severity;
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MeteringOptions>, PriceBookFolderValidation>());
        services.TryAddSingleton(sp => PriceBookFolder.Load(sp.GetRequiredService<IOptions<MeteringOptions>>().Value.PriceBooksPath));
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<MeteringOptions>>().Value.PlansPath is { Length: > 0 } path
            ? PlanCatalog.LoadFile(path)
            : PlanCatalog.LoadEmbedded());

        services.TryAddSingleton<PartitionWriteGate>();
        services.TryAddSingleton<AccountPartition>();
        services.TryAddSingleton<AccountReads>();
        services.TryAddSingleton<AlertOutbox>();
        services.TryAddSingleton<GrantExpiryWatch>();
        services.TryAddSingleton<BalancePublisher>();
        // The ledger's observers, told of every billed batch: the outbox before it is written, balances once stored.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICommitObserver, AlertOutboxObserver>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICommitObserver, BalancePublisher>(sp => sp.GetRequiredService<BalancePublisher>()));
        services.AddHostedService<BalancePublishing>();
        services.TryAddSingleton<AccountLedger>();
        services.TryAddSingleton<CommitCoalescer>();
        services.TryAddSingleton<AccountRegistry>();
        services.TryAddSingleton<RejectedJobStore>();
        services.TryAddSingleton<JobIngestion>();
        services.TryAddSingleton<MessageReplayer>();
        services.TryAddSingleton<CreditPurchases>();
        services.TryAddSingleton<CreditGrants>();
        services.TryAddSingleton<AccountCorrections>();
        services.TryAddSingleton<AccountActivity>();
        services.TryAddSingleton<SpendCaps>();
        services.TryAddSingleton<RequestAdmission>();
        services.TryAddSingleton<CustomModelRegistry>();
        services.AddOptions<RetentionOptions>()
            .Bind(configuration.GetSection(RetentionOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<RetentionCleaner>();
        services.TryAddSingleton<StatementStore>();
        services.TryAddSingleton<StatementCloser>();
        services.TryAddSingleton<StatementVerifier>();

        services.TryAddSingleton<AlertSubscriptions>();
        services.TryAddSingleton<AlertDelivery>();
        AddWebhookClient(services, configuration);
        return services;
    }

    private static void AddWebhookClient(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookDeliveryOptions>()
            .Bind(configuration.GetSection(WebhookDeliveryOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddHttpClient(AlertDelivery.HttpClientName, client =>
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
            })
            .AddResilienceHandler("webhook", (builder, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptions<WebhookDeliveryOptions>>().Value;
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
                });
                builder.AddTimeout(o.AttemptTimeout);
            });
    }
}
