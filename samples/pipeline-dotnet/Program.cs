using UsageProcessor.Client;
using UsageProcessor.Samples;

// Usage: dotnet run --project samples/pipeline-dotnet -- [base-url] [function-key] [day-file]
var client = UsageProcessorClient.Create(new UsageProcessorClientOptions
{
    BaseAddress = new Uri(args.ElementAtOrDefault(0) ?? "http://127.0.0.1:7071"),
    FunctionKey = args.ElementAtOrDefault(1) ?? "dev-key",
});
await using var sender = await PipelineSample.SendDayAsync(client, args.ElementAtOrDefault(2) ?? "samples/day.jsonl", DateTimeOffset.UtcNow);
Console.WriteLine($"accepted {sender.Accepted}, refused {sender.Refused.Count}");
foreach (var refused in sender.Refused)
{
    Console.WriteLine($"refused {refused.JobId}: {string.Join("; ", refused.Errors.Select(e => $"{e.Key} {string.Join(" ", e.Value)}"))}");
}

foreach (var account in new[] { "acme-corp", "contoso-health", "fabrikam_insurance", "northwind.media", "tailspin-labs" })
{
    var balance = await client.BalanceAsync(account);
    Console.WriteLine($"{account}: {balance?.Jobs} jobs, {balance?.UsedCredits} credits (billing is asynchronous: read again in a few seconds)");
}
