using System.Net;
using System.Text.Json;

namespace UsageProcessor.Host.Tests.Infrastructure;

/// <summary>The sample day's accounts' jobs and used credits, read through a running host's balance route over every period the day touches.</summary>
internal static class SampleDayBalances
{
    /// <param name="http">The client.</param>
    /// <param name="host">The host's base address.</param>
    /// <param name="functionKey">A key the host takes.</param>
    /// <param name="periods">The months the (shifted) day touches.</param>
    /// <param name="accountSuffix">Appended to each sample account's id (<c>-json</c>), for copies of the day sent under other ids.</param>
    public static async Task<Dictionary<string, (int Jobs, decimal Credits)>> ReadAsync(
        HttpClient http, Uri host, string functionKey, IReadOnlyList<string> periods, string accountSuffix = "")
    {
        var totals = new Dictionary<string, (int Jobs, decimal Credits)>(StringComparer.Ordinal);
        foreach (var account in SampleDay.Accounts.Keys)
        {
            var (jobs, credits) = (0, 0m);
            foreach (var period in periods)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host, $"api/accounts/{account}{accountSuffix}/balance?period={period}"));
                request.Headers.Add("x-functions-key", functionKey);
                using var response = await http.SendAsync(request);
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    continue;
                }

                response.EnsureSuccessStatusCode();
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                jobs += body.RootElement.GetProperty("jobs").GetInt32();
                credits += body.RootElement.GetProperty("usedCredits").GetDecimal();
            }

            totals[account] = (jobs, credits);
        }

        return totals;
    }
}
