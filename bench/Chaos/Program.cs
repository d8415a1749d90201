using System.CommandLine;
using UsageProcessor.Chaos;

// The chaos harness: see docs/reliability.md. `bench/chaos.sh` builds what it needs and runs it.
var profile = new Option<string>("--profile")
{
    Description = "short (about two minutes, run by CI) or long (20,000 messages or more).",
    DefaultValueFactory = _ => "short",
};
profile.AcceptOnlyFromAmong("short", "long");
var seed = new Option<int>("--seed") { Description = "Seeds the traffic and every injected fault, to rerun a run.", DefaultValueFactory = _ => 20261201 };
var root = new RootCommand("Shakes real self-host processes over a real Azurite and checks that nothing was lost or counted twice.") { profile, seed };
root.SetAction(async (parsed, _) =>
{
    var chosen = parsed.GetValue(profile) == "long" ? ChaosProfile.Long : ChaosProfile.Short;
    return await new ChaosRun(chosen, parsed.GetValue(seed)).RunAsync();
});
return await root.Parse(args).InvokeAsync();
