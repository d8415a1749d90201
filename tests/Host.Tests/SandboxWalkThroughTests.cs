using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using UsageProcessor.Host.Commands;
using UsageProcessor.Host.Tests.Infrastructure;

namespace UsageProcessor.Host.Tests;

/// <summary>docs/operations.md's sandbox walk-through, step by step, against the real self-host in sandbox mode.</summary>
public sealed class SandboxWalkThroughTests(DedicatedAzurite azurite) : IClassFixture<DedicatedAzurite>
{
    private static readonly Dictionary<string, string> SandboxMode = new()
    {
        ["Sandbox__Enabled"] = "true",
        ["DOTNET_ENVIRONMENT"] = "Development",
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
    };

    [Fact]
    public async Task WalkThrough_SignUpBillAJobMoveTheClockPastTheClose_GivesAClosedStatementWithinAMinute()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var host = SelfHostProcess.Start(azurite.ConnectionString, SandboxMode);
        await using (host)
        {
            await host.WaitUntilHealthyAsync(http, TimeSpan.FromSeconds(60));
            var walk = Stopwatch.StartNew();

            // 1. Sign up.
            Assert.Equal(HttpStatusCode.Created, (await SendAsync(http, host, HttpMethod.Put, "api/accounts/acct-sandbox", """{"plan":"starter"}""")).Status);

            // 2. Send a job completed now (the sandbox clock's now) and wait until it is billed.
            var now = JsonDocument.Parse((await SendAsync(http, host, HttpMethod.Get, "api/sandbox/clock")).Body).RootElement.GetProperty("now").GetDateTimeOffset();
            var job = $$"""[{"jobId":"sandbox-1","accountId":"acct-sandbox","completedAt":"{{now.AddMinutes(-1).UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}}","domain":"document.invoice","detail":"lo","pages":3}]""";
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, host, HttpMethod.Post, "api/events", job)).Status);
            var period = now.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            while (JsonDocument.Parse((await SendAsync(http, host, HttpMethod.Get, $"api/accounts/acct-sandbox/balance?period={period}")).Body)
                .RootElement.GetProperty("jobs").GetInt64() < 1)
            {
                Assert.True(walk.Elapsed < TimeSpan.FromSeconds(45), host.Log());
                await Task.Delay(200);
            }

            var draft = JsonDocument.Parse((await SendAsync(http, host, HttpMethod.Get, $"api/accounts/acct-sandbox/statements/{period}")).Body).RootElement;
            Assert.Equal("draft", draft.GetProperty("status").GetString());

            // 3. Move the clock to the period's close instant (the month's end + 3 days) with the CLI: every timer runs at once.
            var closeInstant = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1).AddDays(3);
            using var output = new StringWriter();
            using var error = new StringWriter();
            var exit = await HostCommands.RunAsync(
                ["sandbox", "clock", "--to", closeInstant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), "--url", host.BaseAddress.ToString(), "--key", SelfHostProcess.FunctionKey],
                output, error, CancellationToken.None);
            Assert.True(exit == 0, output + error.ToString() + host.Log());
            Assert.Contains("CloseStatements", output.ToString(), StringComparison.Ordinal);

            // 4. The statement is closed, as of the close instant, by the timer that just ran (no read closed it).
            var stored = await StoredStatementAsync(period);
            var statement = JsonDocument.Parse((await SendAsync(http, host, HttpMethod.Get, $"api/accounts/acct-sandbox/statements/{period}")).Body).RootElement;
            walk.Stop();

            Assert.True(stored, "The timer did not store the statement before the clock command returned.");
            Assert.Equal(("closed", closeInstant), (statement.GetProperty("status").GetString(), statement.GetProperty("closedAt").GetDateTimeOffset()));
            Assert.Equal(3m, statement.GetProperty("totals").GetProperty("usageCredits").GetDecimal());
            Assert.True(walk.Elapsed < TimeSpan.FromMinutes(1), $"The walk-through took {walk.Elapsed}.");
            Assert.Equal(0, await host.TerminateAsync(TimeSpan.FromSeconds(30)));
        }
    }

    [Fact]
    public async Task Start_SandboxModeInProduction_RefusesToStartNamingTheSetting()
    {
        var host = SelfHostProcess.Start(azurite.ConnectionString, new Dictionary<string, string>
        {
            ["Sandbox__Enabled"] = "true",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        });
        await using (host)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (!host.HasExited)
            {
                Assert.True(DateTime.UtcNow < deadline, "The host started in Production with sandbox mode on.\n" + host.Log());
                await Task.Delay(200);
            }

            // The output is read asynchronously; give its last lines a moment.
            await Task.Delay(500);
            Assert.Contains("refused in the Production environment", host.Log(200), StringComparison.Ordinal);
        }
    }

    private async Task<bool> StoredStatementAsync(string period)
    {
        var ledger = new Azure.Data.Tables.TableServiceClient(azurite.ConnectionString).GetTableClient("ledger");
        var rows = ledger.QueryAsync<Azure.Data.Tables.TableEntity>(
            Azure.Data.Tables.TableClient.CreateQueryFilter($"PartitionKey eq {"acct-sandbox"} and RowKey eq {"statement|" + period}"));
        await foreach (var _ in rows)
        {
            return true;
        }

        return false;
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient http, SelfHostProcess host, HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(host.BaseAddress, path));
        request.Headers.Add("x-functions-key", SelfHostProcess.FunctionKey);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
