using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Spectre.Console;

namespace UsageProcessor.Chaos;

/// <summary>How hard a run shakes the product.</summary>
internal sealed record ChaosProfile(
    string Name,
    int Accounts,
    int Waves,
    int WaveSize,
    double DuplicateShare,
    double BadShare,
    double FaultRate,
    double LostResponseRate,
    double WebhookFailureRate,
    double WebhookTimeoutRate,
    int HostKills,
    int EmulatorPauses,
    int EmulatorRestarts,
    TimeSpan TableOutage,
    bool EmulatorSigkillPhase)
{
    public static ChaosProfile Short { get; } = new("short", 30, 2, 550, 0.2, 0.04, 0.03, 0.03, 0.1, 0.05, 2, 1, 0, TimeSpan.FromSeconds(20), false);

    public static ChaosProfile Long { get; } = new("long", 100, 34, 600, 0.2, 0.04, 0.03, 0.03, 0.1, 0.05, 8, 2, 2, TimeSpan.FromSeconds(150), true);
}

/// <summary>
/// One chaos run: real self-host processes (two competing consumers) over a real Azurite, a stream of job messages
/// with duplicates and bad messages, injected storage faults (lost answers after applied writes included), SIGKILLed
/// hosts, a frozen and a restarted emulator, a webhook receiver that fails and stalls; then exact checks of every
/// balance, usage record, rejection and alert against what was sent.
/// </summary>
internal sealed class ChaosRun(ChaosProfile profile, int seed)
{
    private const string JobQueue = "job-completed";
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan EmulatorPause = TimeSpan.FromSeconds(10);
    private static readonly string[] SubscribedThresholds = ["50", "80"];

    private readonly Random _random = new(seed);
    private readonly List<DateTimeOffset> _kills = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private int _emulatorPauses;
    private int _emulatorRestarts;
    private int _tableOutages;

    public async Task<int> RunAsync()
    {
        var clock = Stopwatch.StartNew();
        await using var emulator = new StorageEmulator();
        await emulator.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync(seed, profile.WebhookFailureRate, profile.WebhookTimeoutRate, TimeSpan.FromSeconds(3));
        // The hosts reach the table service through a relay that can take it away (a table outage); queues stay direct.
        await using var tables = new TcpOutage(emulator.TablePort);
        var hosts = new[] { "A", "B" }.Select((name, i) => new SelfHost(name, emulator.ConnectionStringWithTablePort(tables.Port), HostSettings(seed + i))).ToArray();
        try
        {
            // Accounts and subscriptions through a host without injected faults: a create whose answer is lost after it
            // landed would be created again by the caller's retry (creates take no idempotency key), and the receiver
            // would not know the first one's secret.
            var accounts = Enumerable.Range(0, profile.Accounts).Select(i => $"chaos-{seed}-{i:D3}").ToList();
            await using (var setup = new SelfHost("setup", emulator.ConnectionString, new Dictionary<string, string> { ["Metering__AllowLoopbackWebhooks"] = "true" }))
            {
                setup.Start();
                await setup.WaitUntilHealthyAsync(_http, TimeSpan.FromSeconds(90));
                await SetUpAccountsAsync(setup, receiver, accounts);
            }

            foreach (var host in hosts)
            {
                host.Start();
            }

            foreach (var host in hosts)
            {
                await host.WaitUntilHealthyAsync(_http, TimeSpan.FromSeconds(90));
            }
            var workload = new Workload(seed, accounts);
            var queue = new QueueClient(emulator.ConnectionString, JobQueue, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
            await queue.CreateIfNotExistsAsync();

            var sent = 0;
            await AnsiConsole.Progress().AutoClear(false).StartAsync(async progress =>
            {
                var task = progress.AddTask($"[bold]{profile.Name}[/] waves", maxValue: profile.Waves);
                var killsPerWave = Spread(profile.HostKills, profile.Waves);
                var pausesPerWave = Spread(profile.EmulatorPauses, profile.Waves);
                var restartsPerWave = Spread(profile.EmulatorRestarts, profile.Waves);
                for (var wave = 0; wave < profile.Waves; wave++)
                {
                    var messages = workload.NextWave(profile.WaveSize, profile.DuplicateShare, profile.BadShare, last: wave == profile.Waves - 1);
                    var faults = new List<Task>();
                    for (var k = 0; k < killsPerWave[wave]; k++)
                    {
                        faults.Add(KillAndRestartAsync(hosts[0], TimeSpan.FromMilliseconds(_random.Next(300, 4000))));
                    }

                    if (pausesPerWave[wave] > 0)
                    {
                        faults.Add(PauseEmulatorAsync(emulator, TimeSpan.FromMilliseconds(_random.Next(500, 2000))));
                    }

                    if (restartsPerWave[wave] > 0)
                    {
                        faults.Add(RestartEmulatorAsync(emulator, TimeSpan.FromMilliseconds(_random.Next(500, 2000))));
                    }

                    if (wave == profile.Waves / 2 && profile.TableOutage > TimeSpan.Zero)
                    {
                        faults.Add(TableOutageAsync(tables, TimeSpan.FromMilliseconds(_random.Next(500, 2000))));
                    }

                    await SendAsync(queue, messages);
                    sent += messages.Count;
                    await Task.WhenAll(faults);
                    await WaitForDepthAsync(queue, wave == profile.Waves - 1 ? 0 : 60, TimeSpan.FromMinutes(3));
                    task.Increment(1);
                }
            });

            var leftovers = workload.Leftovers();
            await SendAsync(queue, leftovers);
            sent += leftovers.Count;
            await WaitForDepthAsync(queue, 0, TimeSpan.FromMinutes(4));

            // Poison: what landed there, then the product's own replay, then drain again.
            var poison = new QueueClient(emulator.ConnectionString, JobQueue + "-poison");
            var poisonBefore = await DepthAsync(poison);
            var poisonAfter = poisonBefore;
            if (poisonBefore > 0)
            {
                await ReplayPoisonAsync(emulator.ConnectionString);
                await WaitForDepthAsync(queue, 0, TimeSpan.FromMinutes(3));
                poisonAfter = await DepthAsync(poison);
            }

            await WaitForAlertsAsync(emulator.ConnectionString, receiver);
            var report = await CheckAsync(hosts[1], emulator.ConnectionString, workload, receiver, accounts);
            report.Sent = sent;
            report.PoisonBefore = poisonBefore;
            report.PoisonAfter = poisonAfter;
            report.Kills = _kills.Count;
            report.EmulatorPauses = _emulatorPauses;
            report.EmulatorRestarts = _emulatorRestarts;
            report.TableOutage = _tableOutages > 0 ? profile.TableOutage : TimeSpan.Zero;
            report.Faults = await FaultCountsAsync(hosts);
            if (profile.EmulatorSigkillPhase)
            {
                try
                {
                    report.EmulatorSigkill = await EmulatorSigkillPhaseAsync(emulator, hosts, queue);
                }
                catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException)
                {
                    report.EmulatorSigkill = $"not measured: {e.Message}";
                }
            }

            report.Elapsed = clock.Elapsed;
            report.Print(profile, seed);
            return report.MustBeZero.All(f => f.Value == 0) ? 0 : 1;
        }
        catch (Exception e)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]The chaos run could not finish:[/] {e}");
            foreach (var host in hosts)
            {
                AnsiConsole.WriteLine($"--- host {host.Name} ---\n{host.Log()}");
            }

            return 2;
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }

            await emulator.KillAsync();
            emulator.DeleteData();
        }
    }

    private Dictionary<string, string> HostSettings(int hostSeed) => new()
    {
        ["Metering__AllowLoopbackWebhooks"] = "true",
        ["Metering__Webhooks__AttemptTimeout"] = "00:00:02",
        ["Metering__Webhooks__RetryDelay"] = "00:00:00.200",
        ["Metering__Webhooks__MaxRetryAttempts"] = "4",
        ["Metering__OutboxSweepMinutes"] = "1",
        ["Metering__Chaos__FaultRate"] = profile.FaultRate.ToString(CultureInfo.InvariantCulture),
        ["Metering__Chaos__LostResponseRate"] = profile.LostResponseRate.ToString(CultureInfo.InvariantCulture),
        ["Metering__Chaos__Seed"] = hostSeed.ToString(CultureInfo.InvariantCulture),
        ["SelfHost__QueueLease"] = Lease.ToString("c", CultureInfo.InvariantCulture),
    };

    private static int[] Spread(int events, int waves)
    {
        var perWave = new int[waves];
        for (var i = 0; i < events; i++)
        {
            perWave[(int)((i + 0.5) * waves / events) % waves]++;
        }

        return perWave;
    }

    private async Task SetUpAccountsAsync(SelfHost api, WebhookReceiver receiver, IReadOnlyList<string> accounts)
    {
        foreach (var account in accounts)
        {
            // A few pro accounts: their included credits keep them below the percentage thresholds.
            var plan = account.EndsWith('7') ? "pro" : "starter";
            await CallAsync(api, HttpMethod.Put, $"api/accounts/{account}", new { plan });
            foreach (var threshold in SubscribedThresholds)
            {
                using var created = await CallAsync(api, HttpMethod.Post, $"api/accounts/{account}/alert-subscriptions", new
                {
                    // The idempotency key a retried create is answered by.
                    reference = $"chaos-{threshold}",
                    kind = "credits-used-percent",
                    threshold = decimal.Parse(threshold, CultureInfo.InvariantCulture),
                    webhookUrl = receiver.UrlFor(account, threshold).ToString(),
                });
                using var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
                receiver.Trust(account, threshold, body.RootElement.GetProperty("secret").GetString()!);
            }
        }
    }

    // The API answers 503 when injected faults outlast its retries: a caller tries again, as this one does.
    private async Task<HttpResponseMessage> CallAsync(SelfHost api, HttpMethod method, string path, object? body = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, new Uri(api.BaseAddress, path));
            request.Headers.Add("x-functions-key", SelfHost.FunctionKey);
            if (body is not null)
            {
                request.Content = JsonContent.Create(body);
            }

            HttpResponseMessage? response = null;
            try
            {
                response = await _http.SendAsync(request);
                if (response.IsSuccessStatusCode)
                {
                    return response;
                }

                if (response.StatusCode is not (HttpStatusCode.ServiceUnavailable or HttpStatusCode.InternalServerError) || attempt >= 20)
                {
                    throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }
            catch (HttpRequestException) when (attempt < 20)
            {
            }
            catch (TaskCanceledException) when (attempt < 20)
            {
            }

            response?.Dispose();
            await Task.Delay(500);
        }
    }

    private static async Task SendAsync(QueueClient queue, IReadOnlyList<Outgoing> messages) =>
        await Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (message, ct) =>
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await queue.SendMessageAsync(message.Body, ct);
                    return;
                }
                catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException or IOException && attempt < 60)
                {
                    // The emulator is frozen or restarting.
                    await Task.Delay(500, ct);
                }
            }
        });

    private async Task KillAndRestartAsync(SelfHost host, TimeSpan after)
    {
        await Task.Delay(after);
        await host.KillAsync();
        _kills.Add(DateTimeOffset.UtcNow);
        await Task.Delay(TimeSpan.FromMilliseconds(_random.Next(500, 2000)));
        host.Start();
        await host.WaitUntilHealthyAsync(_http, TimeSpan.FromSeconds(90));
    }

    private async Task PauseEmulatorAsync(StorageEmulator emulator, TimeSpan after)
    {
        await Task.Delay(after);
        emulator.Pause();
        _emulatorPauses++;
        await Task.Delay(EmulatorPause);
        emulator.Resume();
    }

    private async Task TableOutageAsync(TcpOutage tables, TimeSpan after)
    {
        await Task.Delay(after);
        await tables.OutageAsync(profile.TableOutage);
        _tableOutages++;
    }

    private async Task RestartEmulatorAsync(StorageEmulator emulator, TimeSpan after)
    {
        await Task.Delay(after);
        await emulator.StopAsync();
        _emulatorRestarts++;
        await Task.Delay(EmulatorPause);
        await emulator.StartAsync();
    }

    private static async Task<int> DepthAsync(QueueClient queue)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await queue.ExistsAsync() ? (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;
            }
            catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException or IOException && attempt < 60)
            {
                await Task.Delay(500);
            }
        }
    }

    // Leased messages count too: zero means every message was acknowledged (or poisoned).
    private static async Task WaitForDepthAsync(QueueClient queue, int depth, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (await DepthAsync(queue) > depth)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"'{queue.Name}' did not drain to {depth} messages within {patience}.");
            }

            await Task.Delay(500);
        }
    }

    private static async Task ReplayPoisonAsync(string connection)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            ArgumentList = { Repository.SelfHostDll, "replay", "poison", "--connection", connection },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var replay = Process.Start(start)!;
        await replay.WaitForExitAsync();
    }

    // Alerts settle when the alert queue is empty and the receiver has heard nothing new for a while.
    private static async Task WaitForAlertsAsync(string connection, WebhookReceiver receiver)
    {
        var alerts = new QueueClient(connection, "usage-alerts");
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        var seen = -1;
        while (DateTime.UtcNow < deadline)
        {
            var now = receiver.Deliveries.Count;
            if (now == seen && await DepthAsync(alerts) == 0)
            {
                return;
            }

            seen = now;
            await Task.Delay(TimeSpan.FromSeconds(8));
        }
    }

    private async Task<ChaosReport> CheckAsync(SelfHost api, string connection, Workload workload, WebhookReceiver receiver, IReadOnlyList<string> accounts)
    {
        var report = new ChaosReport { Duplicates = workload.Duplicates, RejectedExpected = workload.Malformed + workload.Unpriceable };
        // Which subscription must receive which alert: one of its kind whose threshold is the subscription's, or
        // passed on the way to it (a job that jumps from 40 % to 100 % raises 100 and passes 50 and 80).
        var expectedAlerts = new HashSet<string>(StringComparer.Ordinal);
        var ledgerAlerts = new Dictionary<string, string>(StringComparer.Ordinal);
        var lateness = new List<TimeSpan>();
        foreach (var account in accounts)
        {
            var billed = new Dictionary<string, int>(StringComparer.Ordinal);
            var billedAt = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            var periods = workload.Jobs.Values.Where(j => j.AccountId == account).Select(j => j.SentAt.ToString("yyyy-MM", CultureInfo.InvariantCulture))
                .Append(DateTimeOffset.UtcNow.ToString("yyyy-MM", CultureInfo.InvariantCulture)).Distinct();
            decimal used = 0;
            var jobs = 0;
            foreach (var period in periods)
            {
                string? cursor = null;
                do
                {
                    using var page = await CallAsync(api, HttpMethod.Get,
                        $"api/accounts/{account}/usage?period={period}&limit=1000" + (cursor is null ? string.Empty : $"&cursor={Uri.EscapeDataString(cursor)}"));
                    using var json = JsonDocument.Parse(await page.Content.ReadAsStringAsync());
                    foreach (var item in json.RootElement.GetProperty("items").EnumerateArray())
                    {
                        var id = item.GetProperty("jobId").GetString()!;
                        billed[id] = billed.GetValueOrDefault(id) + 1;
                        billedAt[id] = item.GetProperty("billedAt").GetDateTimeOffset();
                    }

                    cursor = json.RootElement.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
                }
                while (cursor is not null);

                using var balance = await CallAsync(api, HttpMethod.Get, $"api/accounts/{account}/balance?period={period}");
                using var balanceJson = JsonDocument.Parse(await balance.Content.ReadAsStringAsync());
                used += balanceJson.RootElement.GetProperty("usedCredits").GetDecimal();
                jobs += balanceJson.RootElement.GetProperty("jobs").GetInt32();

                using var alerts = await CallAsync(api, HttpMethod.Get, $"api/accounts/{account}/alerts?period={period}");
                using var alertsJson = JsonDocument.Parse(await alerts.Content.ReadAsStringAsync());
                foreach (var alert in alertsJson.RootElement.GetProperty("items").EnumerateArray())
                {
                    ledgerAlerts[alert.GetProperty("alertId").GetString()!] = alert.GetRawText();
                    if (alert.GetProperty("kind").GetString() != "credits-used-percent" || alert.GetProperty("passed").GetBoolean())
                    {
                        continue;
                    }

                    var thresholds = alert.GetProperty("passedThresholds").EnumerateArray().Select(t => t.GetDecimal())
                        .Append(alert.GetProperty("threshold").GetDecimal())
                        .Select(t => t.ToString(CultureInfo.InvariantCulture));
                    foreach (var subscription in thresholds.Intersect(SubscribedThresholds))
                    {
                        expectedAlerts.Add($"{alert.GetProperty("alertId").GetString()}/{subscription}");
                    }
                }
            }

            var expected = workload.Jobs.Values.Where(j => j.AccountId == account).ToDictionary(j => j.JobId, StringComparer.Ordinal);
            report.Lost += expected.Keys.Count(id => !billed.ContainsKey(id));
            report.Doubled += billed.Count(b => b.Value > 1 || !expected.ContainsKey(b.Key));
            if (used != workload.ExpectedCredits(account) || jobs != workload.ExpectedJobs(account))
            {
                report.Mismatches++;
                report.Notes.Add($"{account}: used {used} credits in {jobs} jobs, expected {workload.ExpectedCredits(account)} in {workload.ExpectedJobs(account)}");
            }

            lateness.AddRange(billedAt.Where(b => expected.ContainsKey(b.Key)).Select(b => b.Value - expected[b.Key].SentAt));
        }

        var rejected = new TableClient(connection, "rejected");
        report.RejectedFound = 0;
        await foreach (var _ in rejected.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {JobQueue}"), select: ["RowKey"]))
        {
            report.RejectedFound++;
        }

        report.MaxBillingDelay = lateness.Count == 0 ? TimeSpan.Zero : lateness.Max();
        report.AlertsExpected = expectedAlerts.Count;
        CheckDeliveries(report, expectedAlerts, receiver.Deliveries, ledgerAlerts);
        return report;
    }

    private void CheckDeliveries(ChaosReport report, HashSet<string> expected, IReadOnlyCollection<Delivery> deliveries, Dictionary<string, string> ledgerAlerts)
    {
        report.SignatureFailures = deliveries.Count(d => !d.SignatureValid);
        foreach (var bad in deliveries.Where(d => !d.SignatureValid).Take(5))
        {
            report.Notes.Add($"signature of alert {bad.AlertId} to {bad.AccountId}/{bad.Subscription} at {bad.At:HH:mm:ss.fff} did not verify");
        }

        foreach (var alert in deliveries.GroupBy(d => (AlertId: $"{d.AlertId}/{d.Subscription}", d.AccountId)))
        {
            var attempts = alert.OrderBy(d => d.At).ToList();
            var reached = attempts.Where(d => d.Answer != DeliveryAnswer.Failed).ToList();
            if (reached.Count == 0)
            {
                continue;
            }

            if (!expected.Contains(alert.Key.AlertId))
            {
                report.AlertsUnexpected++;
                report.Notes.Add($"alert {alert.Key.AlertId} of {alert.Key.AccountId} was delivered but is not an unpassed subscribed alert in the ledger ({string.Join(", ", attempts.Select(a => a.Answer))}): {ledgerAlerts.GetValueOrDefault(alert.Key.AlertId[..alert.Key.AlertId.IndexOf('/', StringComparison.Ordinal)], "absent")}");
                continue;
            }

            foreach (var repeat in reached.Skip(1))
            {
                var failedBefore = attempts.Any(d => d.At < repeat.At && d.Answer != DeliveryAnswer.Accepted);
                var killedBetween = _kills.Any(k => k > reached[0].At.AddSeconds(-5) && k < repeat.At);
                if (failedBefore || killedBetween)
                {
                    report.RepeatedAfterFailure++;
                }
                else
                {
                    report.RepeatedWithoutFailure++;
                    report.Notes.Add($"alert {alert.Key.AlertId} of {alert.Key.AccountId} reached the receiver again at {repeat.At:HH:mm:ss.fff} with no failure before it ({string.Join(", ", attempts.Select(a => $"{a.Answer}@{a.At:HH:mm:ss.fff}"))})");
                }
            }
        }

        var delivered = deliveries.Where(d => d.Answer != DeliveryAnswer.Failed).Select(d => $"{d.AlertId}/{d.Subscription}").ToHashSet(StringComparer.Ordinal);
        report.AlertsDelivered = expected.Count(delivered.Contains);
        report.AlertsMissing = expected.Count(id => !delivered.Contains(id));
        foreach (var id in expected.Where(id => !delivered.Contains(id)).Take(5))
        {
            report.Notes.Add($"alert/subscription {id} is in the ledger, not passed, but never reached the receiver: {ledgerAlerts[id[..id.IndexOf('/', StringComparison.Ordinal)]]}");
        }

    }

    private async Task<Dictionary<string, long>> FaultCountsAsync(IEnumerable<SelfHost> hosts)
    {
        // The hosts count what they inject (usage_processor.chaos.faults); a killed host's count starts again, so
        // these are the counts since each host's last start.
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var host in hosts.Where(h => h.IsRunning))
        {
            using var scrape = await CallAsync(host, HttpMethod.Get, "api/metrics");
            foreach (var line in (await scrape.Content.ReadAsStringAsync()).Split('\n'))
            {
                if (line.StartsWith("usage_processor_chaos_faults_total{", StringComparison.Ordinal))
                {
                    var kind = line.Contains("kind=\"lost-answer\"", StringComparison.Ordinal) ? "lost answers after an applied write" : "faults before a request";
                    var name = $"storage {kind} (since each host's last start)";
                    counts[name] = counts.GetValueOrDefault(name) + (long)double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
                }
            }
        }

        return counts;
    }

    // Not gated: Azurite saves its stores every few seconds, so a SIGKILL of the emulator rolls back writes it had
    // acknowledged. This phase measures how many billed jobs that loses; no product can bring them back.
    private async Task<string> EmulatorSigkillPhaseAsync(StorageEmulator emulator, SelfHost[] hosts, QueueClient queue)
    {
        var account = $"chaos-{seed}-sigkill";
        var workload = new Workload(seed + 99, [account]);
        var messages = workload.NextWave(300, 0, 0, last: true);
        await SendAsync(queue, messages);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await emulator.KillAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await emulator.StartAsync();
        await WaitForDepthAsync(queue, 0, TimeSpan.FromMinutes(4));
        // The account itself may be gone: it was created by its first job, and that write can be rolled back too.
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(hosts[1].BaseAddress, $"api/accounts/{account}/balance"));
        request.Headers.Add("x-functions-key", SelfHost.FunctionKey);
        using var balance = await _http.SendAsync(request);
        var billed = 0;
        if (balance.StatusCode != HttpStatusCode.NotFound)
        {
            using var json = JsonDocument.Parse(await balance.Content.ReadAsStringAsync());
            billed = json.RootElement.GetProperty("jobs").GetInt32();
        }

        return $"{workload.Jobs.Count - billed} of {workload.Jobs.Count} jobs lost after Azurite was SIGKILLed 2 s into billing them";
    }
}

/// <summary>The figures of one run and the one table it prints.</summary>
internal sealed class ChaosReport
{
    public int Sent { get; set; }

    public int Duplicates { get; set; }

    public int Kills { get; set; }

    public int EmulatorPauses { get; set; }

    public int EmulatorRestarts { get; set; }

    public TimeSpan TableOutage { get; set; }

    public Dictionary<string, long> Faults { get; set; } = [];

    public int RejectedExpected { get; set; }

    public int RejectedFound { get; set; }

    public int PoisonBefore { get; set; }

    public int PoisonAfter { get; set; }

    public int Lost { get; set; }

    public int Doubled { get; set; }

    public int Mismatches { get; set; }

    public int AlertsExpected { get; set; }

    public int AlertsDelivered { get; set; }

    public int AlertsMissing { get; set; }

    public int AlertsUnexpected { get; set; }

    public int RepeatedAfterFailure { get; set; }

    public int RepeatedWithoutFailure { get; set; }

    public int SignatureFailures { get; set; }

    public TimeSpan MaxBillingDelay { get; set; }

    public string? EmulatorSigkill { get; set; }

    public TimeSpan Elapsed { get; set; }

    public List<string> Notes { get; } = [];

    public IReadOnlyDictionary<string, int> MustBeZero => new Dictionary<string, int>
    {
        ["lost jobs"] = Lost,
        ["double-counted jobs"] = Doubled,
        ["balance mismatches"] = Mismatches,
        ["rejected records missing or extra"] = Math.Abs(RejectedFound - RejectedExpected),
        ["poison messages after replay"] = PoisonAfter,
        ["poison messages from outages under 5 minutes"] = PoisonBefore,
        ["expected alerts not delivered"] = AlertsMissing,
        ["unexpected alerts delivered"] = AlertsUnexpected,
        ["alerts repeated without a failure"] = RepeatedWithoutFailure,
        ["signatures that do not verify"] = SignatureFailures,
    };

    public void Print(ChaosProfile profile, int seed)
    {
        var table = new Table().Title($"chaos run: profile {profile.Name}, seed {seed}, {Elapsed.TotalSeconds:F0} s").AddColumn("figure").AddColumn(new TableColumn("value").RightAligned());
        void Row(string name, object value) => table.AddRow(Markup.Escape(name), Markup.Escape(Convert.ToString(value, CultureInfo.InvariantCulture)!));
        Row("messages sent", Sent);
        Row("duplicate deliveries sent", Duplicates);
        Row("storage faults injected (rate before send / lost answer after write)", $"{profile.FaultRate:P0} / {profile.LostResponseRate:P0} of the product's storage calls");
        foreach (var (name, count) in Faults)
        {
            Row(name, count);
        }

        Row("webhook answers failed / stalled past the timeout", $"{profile.WebhookFailureRate:P0} / {profile.WebhookTimeoutRate:P0}");
        Row("host SIGKILLs (and restarts)", Kills);
        Row("emulator outages: frozen 10 s (SIGSTOP) / stopped and restarted (SIGTERM)", $"{EmulatorPauses} / {EmulatorRestarts}");
        Row("table service outage (connections reset and refused)", TableOutage == TimeSpan.Zero ? "none" : $"{TableOutage.TotalSeconds:F0} s");
        Row("rejected records expected / found", $"{RejectedExpected} / {RejectedFound}");
        Row("poison messages before / after replay", $"{PoisonBefore} / {PoisonAfter}");
        Row("slowest job from sending to billing", $"{MaxBillingDelay.TotalSeconds:F1} s");
        Row("alerts expected / delivered", $"{AlertsExpected} / {AlertsDelivered}");
        Row("alert repeats after a failed or timed-out attempt or a kill", RepeatedAfterFailure);
        if (EmulatorSigkill is not null)
        {
            Row("emulator SIGKILL (not gated: Azurite saves every 5 s)", EmulatorSigkill);
        }

        foreach (var (name, value) in MustBeZero)
        {
            table.AddRow(Markup.Escape(name) + " [grey](must be 0)[/]", value == 0 ? "[green]0[/]" : $"[red]{value}[/]");
        }

        AnsiConsole.Write(table);
        foreach (var note in Notes.Take(20))
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]{note}[/]");
        }
    }
}
