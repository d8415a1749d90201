using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Polly;
using UsageProcessor.Client.Generated;
using UsageProcessor.Client.Generated.Api.Quote;
using UsageProcessor.Client.Generated.Models;

namespace UsageProcessor.Client;

/// <summary>The answer to an admission: admitted (with its reservation, if one was asked), or refused with the reason.</summary>
/// <param name="Admitted">Whether the request may go ahead (it was counted).</param>
/// <param name="View">The admission, when admitted.</param>
/// <param name="Reason">Why not: credits-exhausted, reservation-exceeds-credits, spend-cap-reached or rate-limit-reached.</param>
/// <param name="Detail">The problem's sentence, for people.</param>
public sealed record Admission(bool Admitted, AdmissionView? View, ProblemDocument_reason? Reason, string? Detail);

/// <summary>
/// The usage processor API: <see cref="Api"/> is the client Kiota generated from the OpenAPI document; the methods
/// here are what generation cannot give (admission refusals as answers, one-or-many quotes, the batching sender).
/// </summary>
public sealed class UsageProcessorClient(HttpClient http)
{
    /// <summary>The name of the HTTP client <see cref="ServiceCollectionExtensions.AddUsageProcessorClient"/> registers.</summary>
    public const string HttpClientName = "UsageProcessor";

    /// <summary>Every route, as generated.</summary>
    public MeteringApiClient Api { get; } = new(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http)
    {
        BaseUrl = http.BaseAddress?.ToString().TrimEnd('/'),
    });

    /// <summary>Creates a client without dependency injection: an HTTP client with the key and the resilience pipeline of <see cref="ResilientHandler"/>.</summary>
    public static UsageProcessorClient Create(UsageProcessorClientOptions options) => new(CreateHttpClient(options));

    /// <summary>An HTTP client for <paramref name="options"/> that retries 429, 5xx and network faults with back-off (honouring Retry-After).</summary>
    public static HttpClient CreateHttpClient(UsageProcessorClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var http = new HttpClient(ResilientHandler(new SocketsHttpHandler()), disposeHandler: true);
        Configure(http, options);
        return http;
    }

    /// <summary>A sender of job-completed events in batches through this client's HTTP client.</summary>
    public EventSender CreateEventSender(EventSenderOptions? options = null) => new(http, options);

    /// <summary>
    /// Counts one request against the account's rate window, credits and spend cap; with <paramref name="reservation"/>
    /// (its requestId and usage) also reserves the job's quoted credits. A 402 or 429 is an answer, not an error.
    /// </summary>
    public async Task<Admission> AdmitAsync(string accountId, ReservationBody? reservation = null, CancellationToken cancellationToken = default)
    {
        try
        {
            // No reservation: an empty object, which the API counts as no body.
            var view = await Api.Api.Accounts[accountId].Admissions.PostAsync(reservation ?? new ReservationBody(), cancellationToken: cancellationToken).ConfigureAwait(false);
            return new Admission(true, view, null, null);
        }
        catch (ProblemDocument problem) when (problem.ResponseStatusCode is 402 or 429)
        {
            return new Admission(false, null, problem.Reason, problem.Detail);
        }
    }

    /// <summary>The account's balance for <paramref name="period"/> (YYYY-MM; the current month when null).</summary>
    public Task<BalanceView?> BalanceAsync(string accountId, string? period = null, CancellationToken cancellationToken = default) =>
        Api.Api.Accounts[accountId].Balance.GetAsync(r => r.QueryParameters.Period = period, cancellationToken);

    /// <summary>The price of one job.</summary>
    public async Task<JobQuote> QuoteAsync(UsageToPrice usage, CancellationToken cancellationToken = default)
    {
        var answer = await Api.Api.Quote.PostAsync(new QuoteRequestBuilder.QuotePostRequestBody { QuotePostRequestBodyUsageToPrice = usage }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return answer?.JobQuote ?? throw new InvalidOperationException("POST /api/quote answered no single-job quote.");
    }

    /// <summary>The prices of up to 1,000 jobs, in order, with exact totals.</summary>
    public async Task<QuoteBatch> QuoteAsync(IEnumerable<UsageToPrice> jobs, CancellationToken cancellationToken = default)
    {
        var answer = await Api.Api.Quote.PostAsync(new QuoteRequestBuilder.QuotePostRequestBody { UsageToPrice = [.. jobs] }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return answer?.QuoteBatch ?? throw new InvalidOperationException("POST /api/quote answered no batch quote.");
    }

    /// <summary>Wraps <paramref name="inner"/> in retries with exponential back-off and jitter on 408, 429, 5xx and network faults.</summary>
    public static DelegatingHandler ResilientHandler(HttpMessageHandler inner)
    {
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new HttpRetryStrategyOptions { MaxRetryAttempts = 5, BackoffType = DelayBackoffType.Exponential, UseJitter = true, Delay = TimeSpan.FromMilliseconds(500) })
            .AddTimeout(TimeSpan.FromSeconds(30))
            .Build();
#pragma warning disable EXTEXP0001 // ResilienceHandler's constructor is marked experimental; it is the documented way without DI.
        return new ResilienceHandler(pipeline) { InnerHandler = inner };
#pragma warning restore EXTEXP0001
    }

    internal static void Configure(HttpClient http, UsageProcessorClientOptions options)
    {
        http.BaseAddress = new Uri(options.BaseAddress.ToString().TrimEnd('/') + "/");
        http.DefaultRequestHeaders.Add("x-functions-key", options.FunctionKey);
        http.DefaultRequestVersion = HttpVersion.Version11;
    }
}

/// <summary>Registers the usage processor client with the HTTP client factory and the standard resilience handler.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>Adds <see cref="UsageProcessorClient"/> (and <see cref="EventSender"/> from it) configured by <paramref name="configure"/>.</summary>
    public static IServiceCollection AddUsageProcessorClient(this IServiceCollection services, Action<UsageProcessorClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new UsageProcessorClientOptions();
        configure(options);
        // The standard handler retries 429, 5xx and network faults with back-off and honours Retry-After.
        services.AddHttpClient(UsageProcessorClient.HttpClientName, http => UsageProcessorClient.Configure(http, options)).AddStandardResilienceHandler();
        services.AddTransient(s => new UsageProcessorClient(s.GetRequiredService<IHttpClientFactory>().CreateClient(UsageProcessorClient.HttpClientName)));
        return services;
    }
}
