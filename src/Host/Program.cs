using UsageProcessor.Host;
using UsageProcessor.Host.Commands;

// `send` and `replay` are operator commands that run and exit; anything else starts the self-host.
if (HostCommands.IsCommand(args))
{
    return await HostCommands.RunAsync(args);
}

await using var app = SelfHostApp.Build(args);
await app.RunAsync();
return 0;
