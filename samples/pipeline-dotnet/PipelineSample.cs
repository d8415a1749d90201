using System.Globalization;
using System.Text.Json.Nodes;
using UsageProcessor.Client;

namespace UsageProcessor.Samples;

/// <summary>A job pipeline: each finished job goes to the batching sender, which sends them in order, in gzip batches.</summary>
public static class PipelineSample
{
    /// <summary>Sends every line of <paramref name="dayFile"/> (moved so its latest job finished 3 minutes ago), then waits for every answer.</summary>
    public static async Task<EventSender> SendDayAsync(UsageProcessorClient client, string dayFile, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(client);
        var lines = (await File.ReadAllLinesAsync(dayFile)).Where(l => l.Length > 0).ToList();
        var offset = now.AddMinutes(-3) - lines.Select(CompletedAt).Max();
        var sender = client.CreateEventSender(new EventSenderOptions { MaxEvents = 50, MaxDelay = TimeSpan.FromMilliseconds(200) });
        foreach (var line in lines)
        {
            // The jobs were recorded on 2026-11-25; the API takes jobs of the last 35 days, so the day is moved to now.
            var job = JsonNode.Parse(line)!.AsObject();
            job["completedAt"] = (CompletedAt(line) + offset).ToString("O", CultureInfo.InvariantCulture);
            await sender.AddAsync(job.ToJsonString());
        }

        await sender.FlushAsync();
        return sender;
    }

    private static DateTimeOffset CompletedAt(string line) =>
        DateTimeOffset.Parse(JsonNode.Parse(line)!["completedAt"]!.GetValue<string>(), CultureInfo.InvariantCulture);
}
