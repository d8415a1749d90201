using System.Diagnostics;
using UsageProcessor.Client;
using UsageProcessor.Client.Generated.Models;
using UsageProcessor.Host.Tests.Infrastructure;
using UsageProcessor.Samples;

namespace UsageProcessor.Host.Tests;

/// <summary>The generated clients (clients/dotnet and clients/typescript), used as plainly as a new user would, against the running self-host.</summary>
public sealed class ClientsTests(DedicatedAzurite azurite) : IClassFixture<DedicatedAzurite>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task DotnetClient_EveryKindOfCallAndTheSampleDayThroughTheBatchingSender_AnswersAsTheApiDoes()
    {
        using var http = new HttpClient();
        var host = SelfHostProcess.Start(azurite.ConnectionString);
        await using (host)
        {
            await host.WaitUntilHealthyAsync(http, TimeSpan.FromSeconds(60));
            var client = UsageProcessorClient.Create(new UsageProcessorClientOptions { BaseAddress = host.BaseAddress, FunctionKey = SelfHostProcess.FunctionKey });
            var api = client.Api.Api;

            var one = await client.QuoteAsync(new UsageToPrice
            {
                Domain = "document.invoice", Detail = UsageToPrice_detail.Hi, Grounding = true, Pages = 1, ServiceTier = UsageToPrice_serviceTier.Priority,
            });
            Assert.Equal(10.8m, one.Credits);
            Assert.Equal(JobQuote_serviceTier.Priority, one.ServiceTier);
            var batch = await client.QuoteAsync([new UsageToPrice { Domain = "audio.call", DurationSeconds = 3600 }, new UsageToPrice { Domain = "healthcare.phi-redaction", Pages = 2 }]);
            Assert.Equal(2, batch.Totals!.Jobs);
            Assert.Equal(28m, batch.Totals.Credits);

            const string Account = "client-dotnet";
            var created = await api.Accounts[Account].PutAsync(new PlanChoice { Plan = PlanChoice_plan.Starter });
            Assert.Equal(AccountView_plan.Starter, created!.Plan);
            var plain = await client.AdmitAsync(Account);
            Assert.True(plain.Admitted);
            Assert.Null(plain.View!.Reservation);
            var reserved = await client.AdmitAsync(Account, new ReservationBody { RequestId = "req-1", Domain = "document.invoice", Pages = 2 });
            Assert.True(reserved.Admitted);
            Assert.True(reserved.View!.Reservation!.Credits > 0);
            var grant = await api.Accounts[Account].Grants.PostAsync(new GrantRequestBody { Credits = 50, Reason = "promotion", Reference = "promo-1" });
            Assert.Equal(50m, grant!.Credits);
            var purchase = await api.Accounts[Account].Credits.PostAsync(new PurchaseRequest { Credits = 10.5m, Reference = "order-1" });
            Assert.Equal(10.5m, purchase!.Credits);
            var balance = await client.BalanceAsync(Account);
            Assert.Equal(160.5m, balance!.WalletCredits);
            var usage = await api.Accounts[Account].Usage.GetAsync();
            Assert.Empty(usage!.Items!);
            var subscription = await api.Accounts[Account].AlertSubscriptions.PostAsync(new SubscriptionRequest
            {
                Kind = SubscriptionRequest_kind.CreditsUsed, Threshold = 10, WebhookUrl = "https://hooks.example.com/usage", Reference = "hook-1",
            });
            Assert.StartsWith("sub_", subscription!.Id, StringComparison.Ordinal);
            var unthresholded = await api.Accounts[Account].AlertSubscriptions.PostAsync(new SubscriptionRequest
            {
                Kind = SubscriptionRequest_kind.BalanceUpdated, WebhookUrl = "https://hooks.example.com/balance", Reference = "hook-2",
            });
            Assert.NotNull(unthresholded);
            Assert.Equal(2, (await api.Accounts[Account].AlertSubscriptions.GetAsync())!.Items!.Count);
            var missing = await Assert.ThrowsAsync<ProblemDocument>(() => client.AdmitAsync("client-dotnet-none"));
            Assert.Equal(404, missing.ResponseStatusCode);

            await using var sender = await PipelineSample.SendDayAsync(client, Repository.SampleDay, DateTimeOffset.UtcNow);
            Assert.Equal([SampleDay.InvalidJobId], sender.Refused.Select(r => r.JobId));
            Assert.Equal(SampleDay.Lines - 1, sender.Accepted);
            await AssertSampleBalancesAsync(client, host);
        }
    }

    [Fact]
    public async Task TypescriptClient_ItsNodeTests_PassAgainstTheSelfHost()
    {
        using var http = new HttpClient();
        var host = SelfHostProcess.Start(azurite.ConnectionString);
        await using (host)
        {
            await host.WaitUntilHealthyAsync(http, TimeSpan.FromSeconds(60));
            var start = new ProcessStartInfo("npm")
            {
                ArgumentList = { "test", "--prefix", Path.Combine(Repository.Root, "clients", "typescript") },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment =
                {
                    ["METERING_URL"] = host.BaseAddress.ToString().TrimEnd('/'),
                    ["METERING_KEY"] = SelfHostProcess.FunctionKey,
                    ["METERING_SAMPLE_DAY"] = Repository.SampleDay,
                },
            };
            using var node = Process.Start(start)!;
            var output = node.StandardOutput.ReadToEndAsync();
            var errors = node.StandardError.ReadToEndAsync();
            await node.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(4));
            Assert.True(node.ExitCode == 0, $"npm test exited {node.ExitCode}\n{await output}\n{await errors}\n{host.Log()}");
            var client = UsageProcessorClient.Create(new UsageProcessorClientOptions { BaseAddress = host.BaseAddress, FunctionKey = SelfHostProcess.FunctionKey });
            await AssertSampleBalancesAsync(client, host);
        }
    }

    // Billing follows the queue: the balances reach the README's figures within the patience.
    private static async Task AssertSampleBalancesAsync(UsageProcessorClient client, SelfHostProcess host)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var totals = new Dictionary<string, (int Jobs, decimal Credits)>();
            foreach (var account in SampleDay.Accounts.Keys)
            {
                var now = DateTimeOffset.UtcNow;
                // The moved day may span two months: the figures are the sum of both periods.
                var jobs = 0;
                var credits = 0m;
                foreach (var period in new[] { now.AddDays(-1), now }.Select(d => d.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)).Distinct())
                {
                    try
                    {
                        var balance = await client.BalanceAsync(account, period);
                        jobs += balance?.Jobs ?? 0;
                        credits += balance?.UsedCredits ?? 0;
                    }
                    catch (ProblemDocument problem) when (problem.ResponseStatusCode == 404)
                    {
                        // The account is created by its first billed job, which may still be on the queue.
                    }
                }

                totals[account] = (jobs, credits);
            }

            if (SampleDay.Accounts.All(a => totals[a.Key] == a.Value))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{string.Join(", ", totals)}\n{host.Log()}");
            await Task.Delay(250);
        }
    }
}
