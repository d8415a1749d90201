using static UsageProcessor.Metering.Http.RouteParts;

namespace UsageProcessor.Metering.Http.Sandbox;

/// <summary>This feature's part of the route table, composed into <see cref="ApiRoutes.All"/>. The sandbox clock of a self-host in sandbox mode.</summary>
public static class SandboxRoutes
{
    private const string Off = "Sandbox mode is off (the Functions app, or a self-host without Sandbox__Enabled=true).";

    public static ApiRoute GetSandboxClock { get; } = new(
        "GetSandboxClock", "GET", ApiRoutes.SandboxClock, "Read the sandbox clock (self-host in sandbox mode only).", RouteAccess.FunctionKey,
        call => call.Service<SandboxApi>().GetAsync(),
        [
            new(200, "The product's time and how far ahead of the machine's clock it is.", typeof(SandboxClockAnswer)),
            Problem(404, Off),
        ]);

    public static ApiRoute MoveSandboxClock { get; } = new(
        "MoveSandboxClock", "POST", ApiRoutes.SandboxClock, "Set or advance the sandbox clock, then run every timer (statement close, grant expiry, retention, exports, outbox sweep) at the new time.", RouteAccess.FunctionKey,
        call => call.Service<SandboxApi>().MoveAsync(call.Request, call.Aborted),
        [
            new(200, "The clock moved and every timer ran once at the new time, before this answer.", typeof(SandboxClockAnswer),
                Example: new("POST /api/sandbox/clock")),
            Invalid("Not exactly one of to and advanceMinutes, a time not after the clock's now, or a move of more than 400 days."),
            Problem(404, Off),
        ])
    { Body = new RequestBodyShape(typeof(SandboxClockRequest), Examples: [new("POST /api/sandbox/clock", 0, "bash")]) };

    /// <summary>This feature's routes, in the order the OpenAPI document lists them.</summary>
    public static IReadOnlyList<ApiRoute> All { get; } = [GetSandboxClock, MoveSandboxClock];
}
