using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UsageProcessor.Host;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Throughput;

/// <summary>One admission scenario's figures: storage requests per admission and, for the concurrent run, latency and rate.</summary>
internal sealed record AdmissionResult(string Scenario, int Admissions, double RequestsPerAdmission, IReadOnlyDictionary<string, long> ByKind, double P50Ms, double P99Ms, double PerSecond);

/// <summary>
/// Admission over HTTP against one self-host on Azurite: storage requests per admission (counted by the same
/// <see cref="StorageRequestCounter"/> as the pipeline run) for a cold account, a warm one, an unlimited plan and an
/// admission carrying a reservation, then 16 concurrent clients over 64 pro accounts for latency and rate.
/// </summary>
internal sealed class AdmissionRun(string connectionString)
{
    private const string Key = "bench";
    private const int Concurrency = 16;
    private const string Usage = """{"requestId":"{id}","domain":"document.invoice","pages":2,"serviceTier":"flex"}""";

    public async Task<IReadOnlyList<AdmissionResult>> RunAsync(CancellationToken cancellationToken)
    {
        var counter = new StorageRequestCounter(TimeProvider.System);
        await using var app = SelfHostApp.Build(
        [
            $"--AzureWebJobsStorage={connectionString}",
            "--urls=http://127.0.0.1:0",
            $"--SelfHost:FunctionKeys:0={Key}",
            $"--{MeteringNames.OptionsSection}:LedgerTable=ledgeradmissions",
        ], services =>
        {
            services.AddLogging(b => b.ClearProviders());
            services.AddSingleton(counter);
            services.AddSingleton(StorageAccount.FromConnectionString(connectionString, extra: [counter]));
        });
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        http.DefaultRequestHeaders.Add("x-functions-key", Key);

        async Task CreateAsync(string account, string plan)
        {
            using var put = await http.PutAsJsonAsync($"/api/accounts/{account}", new { plan }, cancellationToken);
            put.EnsureSuccessStatusCode();
        }

        async Task<double> AdmitAsync(string account, string? body)
        {
            var started = Stopwatch.GetTimestamp();
            using var content = body is null ? null : new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            using var answer = await http.PostAsync($"/api/accounts/{account}/admissions", content, cancellationToken);
            if ((int)answer.StatusCode != 200)
            {
                throw new InvalidOperationException($"Admission of {account} answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync(cancellationToken)}");
            }

            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        var results = new List<AdmissionResult>();
        async Task MeasureAsync(string scenario, IReadOnlyList<(string Account, string? Body)> calls)
        {
            counter.Reset();
            foreach (var (account, body) in calls)
            {
                await AdmitAsync(account, body);
            }

            results.Add(new AdmissionResult(scenario, calls.Count, TableRequests(counter) / calls.Count, TableKinds(counter), 0, 0, 0));
        }

        const int Each = 20;
        for (var i = 0; i < Each; i++)
        {
            await CreateAsync($"cold-{i}", "pro");
        }

        await CreateAsync("warm", "pro");
        await CreateAsync("unlimited", "enterprise");
        await CreateAsync("reserving", "pro");
        await AdmitAsync("warm", null);
        await AdmitAsync("unlimited", null);
        await AdmitAsync("reserving", null);
        await MeasureAsync("cold (first admission after the account was created)", [.. Enumerable.Range(0, Each).Select(i => ($"cold-{i}", (string?)null))]);
        await MeasureAsync("warm (pro, rate-limited)", [.. Enumerable.Range(0, Each).Select(_ => ("warm", (string?)null))]);
        await MeasureAsync("warm unlimited (enterprise, no limit)", [.. Enumerable.Range(0, Each).Select(_ => ("unlimited", (string?)null))]);
        if (Environment.GetEnvironmentVariable("ADMISSIONS_RESERVE") != "0")
        {
            await MeasureAsync("warm with reservation (pro)", [.. Enumerable.Range(0, Each).Select(i => ("reserving", (string?)Usage.Replace("{id}", $"req-{i}", StringComparison.Ordinal)))]);
        }

        // Concurrent: 64 pro accounts, so no account nears its 100 a minute.
        const int Accounts = 64;
        const int Total = 3200;
        for (var i = 0; i < Accounts; i++)
        {
            await CreateAsync($"load-{i}", "pro");
            await AdmitAsync($"load-{i}", null);
        }

        counter.Reset();
        var latencies = new double[Total];
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Total)
            {
                latencies[i] = await AdmitAsync($"load-{i % Accounts}", null);
            }
        }, cancellationToken)));
        clock.Stop();
        Array.Sort(latencies);
        results.Add(new AdmissionResult($"{Concurrency} concurrent over HTTP, {Accounts} warm pro accounts", Total, TableRequests(counter) / Total, TableKinds(counter),
            latencies[Total / 2], latencies[(int)(Total * 0.99)], Total / clock.Elapsed.TotalSeconds));
        await app.StopAsync(cancellationToken);
        return results;
    }

    // The self-host's queue listeners poll in the background; admission only ever talks to the table service.
    private static IReadOnlyDictionary<string, long> TableKinds(StorageRequestCounter counter) =>
        counter.Snapshot().Where(k => !k.Key.StartsWith("queue", StringComparison.Ordinal)).ToDictionary(k => k.Key, k => k.Value);

    private static double TableRequests(StorageRequestCounter counter) => TableKinds(counter).Values.Sum();

    public static void Print(IReadOnlyList<AdmissionResult> results)
    {
        string F(double value, string format = "F2") => value.ToString(format, CultureInfo.InvariantCulture);
        Console.WriteLine();
        Console.WriteLine("| admission scenario | admissions | storage requests/admission | by kind | p50 ms | p99 ms | admissions/s |");
        Console.WriteLine("|---|---:|---:|---|---:|---:|---:|");
        foreach (var r in results)
        {
            var kinds = string.Join(", ", r.ByKind.Select(k => $"{k.Key} {F((double)k.Value / r.Admissions)}"));
            Console.WriteLine($"| {r.Scenario} | {r.Admissions} | {F(r.RequestsPerAdmission)} | {kinds} | {(r.P50Ms > 0 ? F(r.P50Ms, "F1") : "")} | {(r.P99Ms > 0 ? F(r.P99Ms, "F1") : "")} | {(r.PerSecond > 0 ? F(r.PerSecond, "F0") : "")} |");
        }
    }
}
