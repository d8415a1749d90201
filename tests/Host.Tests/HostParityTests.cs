using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.WebJobs;
using Microsoft.Extensions.DependencyInjection;
using UsageProcessor.Host.Functions;
using UsageProcessor.Host.Hosting;
using UsageProcessor.Host.Http;
using UsageProcessor.Metering.Http;
using WebJobsQueueTrigger = Microsoft.Azure.WebJobs.QueueTriggerAttribute;
using Worker = Microsoft.Azure.Functions.Worker;

namespace UsageProcessor.Host.Tests;

/// <summary>The self-host must expose exactly the Functions app's functions: names, triggers, routes, methods, queues and auth.</summary>
public sealed class HostParityTests : IAsyncLifetime
{
    private WebApplication? _app;

    private WebApplication App => _app ?? throw new InvalidOperationException("Not initialized.");

    public Task InitializeAsync()
    {
        // Built, never started: no storage is contacted.
        _app = SelfHostApp.Build(["--AzureWebJobsStorage=UseDevelopmentStorage=true"]);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public void Functions_SelfHostAndFunctionsApp_DeclareTheSameFunctions()
    {
        var functionsApp = FunctionsAppFunctions().Order(StringComparer.Ordinal).ToList();
        var selfHost = SelfHostFunctions().Order(StringComparer.Ordinal).ToList();

        Assert.Equal(functionsApp, selfHost);
        Assert.Contains("ProcessJobCompleted queue job-completed connection=AzureWebJobsStorage", selfHost);
        Assert.Contains("DeliverUsageAlert queue usage-alerts connection=AzureWebJobsStorage", selfHost);
        Assert.Contains("SweepAlertOutbox timer", selfHost);
        Assert.Contains("ApplyRetention timer", selfHost);
        Assert.Contains("WatchExpiringGrants timer", selfHost);
        Assert.Contains("Health http GET /api/health anonymous", selfHost);
        Assert.Contains("GetBalance http GET /api/accounts/{accountId}/balance function", selfHost);
    }

    [Fact]
    public void Endpoints_SelfHostOnly_AreJustTheKeyedMetricsScrape()
    {
        var selfHostOnly = ((IEndpointRouteBuilder)App).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.Metadata.GetMetadata<ApiRoute>() is null)
            .ToList();

        var metrics = Assert.Single(selfHostOnly);
        Assert.Equal(SelfHostTelemetry.MetricsPath, metrics.RoutePattern.RawText);
        Assert.NotNull(metrics.Metadata.GetMetadata<FunctionKeyRequired>());
    }

    [Fact]
    public void Functions_FunctionsApp_CoversEveryApiRoute()
    {
        var httpFunctions = FunctionsAppFunctions().Where(f => f.Contains(" http ", StringComparison.Ordinal)).ToList();

        Assert.Equal(ApiRoutes.All.Count, httpFunctions.Count);
    }

    [Fact]
    public void Functions_SelfHostNames_AreUnique()
    {
        var names = SelfHostFunctions().Select(f => f.Split(' ')[0]).ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void SweepAlertOutbox_Interval_MatchesTheFunctionsSchedule()
    {
        var minuteField = FunctionsSweepSchedule().Split(' ')[1];
        var timer = App.Services.GetServices<HostedTimerFunction>().Single(t => t.FunctionName == nameof(SweepAlertOutbox));

        Assert.StartsWith("*/", minuteField, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMinutes(int.Parse(minuteField[2..], System.Globalization.CultureInfo.InvariantCulture)), timer.Interval);
    }

    [Fact]
    public async Task SweepAlertOutbox_OutboxSweepMinutesSet_KeepsTheFixedScheduleBecauseTheSettingIsAnAge()
    {
        await using var app = SelfHostApp.Build(["--AzureWebJobsStorage=UseDevelopmentStorage=true", "--Metering:OutboxSweepMinutes=30"]);

        var timer = app.Services.GetServices<HostedTimerFunction>().Single(t => t.FunctionName == nameof(SweepAlertOutbox));

        Assert.Equal(TimeSpan.FromMinutes(5), timer.Interval);
        Assert.Equal("0 */5 * * * *", FunctionsSweepSchedule());
    }

    [Fact]
    public void CloseStatements_Interval_MatchesTheFunctionsSchedule()
    {
        var schedule = global::UsageProcessor.Functions.CloseStatements.Schedule;
        var timer = App.Services.GetServices<HostedTimerFunction>().Single(t => t.FunctionName == nameof(CloseStatements));

        Assert.StartsWith("0 */", schedule, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMinutes(int.Parse(schedule.Split(' ')[1][2..], System.Globalization.CultureInfo.InvariantCulture)), timer.Interval);
    }

    [Theory]
    [InlineData(typeof(global::UsageProcessor.Functions.ApplyRetention), nameof(ApplyRetention))]
    [InlineData(typeof(global::UsageProcessor.Functions.ExportDailyParquet), nameof(ExportDailyParquet))]
    [InlineData(typeof(global::UsageProcessor.Functions.WatchExpiringGrants), nameof(WatchExpiringGrants))]
    public void HourlyTimer_Interval_MatchesTheFunctionsHourlySchedule(Type function, string name)
    {
        var schedule = function.GetMethods()
            .SelectMany(m => m.GetParameters())
            .Select(p => p.GetCustomAttribute<Worker.TimerTriggerAttribute>())
            .OfType<Worker.TimerTriggerAttribute>()
            .Single().Schedule;
        var timer = App.Services.GetServices<HostedTimerFunction>().Single(t => t.FunctionName == name);

        // Second and minute fixed, every hour: the self-host's one-hour interval.
        Assert.Matches(@"^\d+ \d+ \* \* \* \*$", schedule);
        Assert.Equal(TimeSpan.FromHours(1), timer.Interval);
    }

    private static string FunctionsSweepSchedule() => typeof(global::UsageProcessor.Functions.SweepAlertOutbox).GetMethods()
        .SelectMany(m => m.GetParameters())
        .Select(p => p.GetCustomAttribute<Worker.TimerTriggerAttribute>())
        .OfType<Worker.TimerTriggerAttribute>()
        .Single().Schedule;

    // One line per function: "<name> <trigger> <details>", the same shape for both hosts.
    private static IEnumerable<string> FunctionsAppFunctions()
    {
        var prefix = HttpRoutePrefix();
        var assembly = typeof(global::UsageProcessor.Functions.ProcessJobCompleted).Assembly;
        foreach (var method in assembly.GetTypes().SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)))
        {
            if (method.GetCustomAttribute<Worker.FunctionAttribute>() is not { } function)
            {
                continue;
            }

            foreach (var parameter in method.GetParameters())
            {
                switch (parameter.GetCustomAttributes().FirstOrDefault())
                {
                    case Worker.HttpTriggerAttribute http:
                        foreach (var verb in http.Methods ?? [])
                        {
                            yield return $"{function.Name} http {verb.ToUpperInvariant()} /{prefix}/{http.Route} {http.AuthLevel.ToString().ToLowerInvariant()}";
                        }

                        break;
                    case Worker.QueueTriggerAttribute queue:
                        yield return $"{function.Name} queue {queue.QueueName} connection={queue.Connection}";
                        break;
                    case Worker.TimerTriggerAttribute:
                        yield return $"{function.Name} timer";
                        break;
                }
            }
        }
    }

    private IEnumerable<string> SelfHostFunctions()
    {
        // Self-host-only operational endpoints (the Prometheus scrape) are outside the route table; a test below names them.
        var endpoints = ((IEndpointRouteBuilder)App).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.Metadata.GetMetadata<FunctionKeyRequired>() is null);
        foreach (var endpoint in endpoints)
        {
            var name = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? endpoint.DisplayName;
            var access = endpoint.Metadata.GetMetadata<ApiRoute>()?.Access switch
            {
                RouteAccess.Anonymous => "anonymous",
                RouteAccess.FunctionKey => "function",
                _ => "unprotected",
            };
            foreach (var verb in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["(any)"])
            {
                yield return $"{name} http {verb} {endpoint.RoutePattern.RawText} {access}";
            }
        }

        // The classes the WebJobs host is told to index, and their trigger attributes as it reads them.
        var indexed = App.Services.GetRequiredService<ITypeLocator>().GetTypes();
        foreach (var method in indexed.SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)))
        {
            if (method.GetCustomAttribute<FunctionNameAttribute>() is not { } function)
            {
                continue;
            }

            foreach (var parameter in method.GetParameters())
            {
                if (parameter.GetCustomAttribute<WebJobsQueueTrigger>() is { } queue)
                {
                    yield return $"{function.Name} queue {queue.QueueName} connection={queue.Connection}";
                }
            }
        }

        foreach (var timer in App.Services.GetServices<HostedTimerFunction>())
        {
            yield return $"{timer.FunctionName} timer";
        }
    }

    private static string HttpRoutePrefix()
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(Infrastructure.Repository.Root, "host.json")));
        return hostJson.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString()!;
    }
}
