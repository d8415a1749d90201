using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using UsageProcessor.Metering.Sandbox;

namespace UsageProcessor.Metering.Http.Sandbox;

/// <summary>The sandbox clock: read it, or move it forward and run every timer at the new time.</summary>
/// <remarks>Only a self-host in sandbox mode has the clock and the timers to run; everywhere else the route answers 404.</remarks>
public sealed class SandboxApi(IServiceProvider services)
{
    /// <summary>Handles <c>GET /api/sandbox/clock</c>.</summary>
    public Task<IResult> GetAsync() =>
        Task.FromResult(Sandbox() is { } sandbox ? Answer(sandbox.Clock, [], []) : Off());

    /// <summary>Handles <c>POST /api/sandbox/clock</c>: moves the clock, then runs every timer once before answering.</summary>
    public async Task<IResult> MoveAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Sandbox() is not { } sandbox)
        {
            return Off();
        }

        var (move, problem) = await RequestBody.BindAsync<SandboxClockRequest, SandboxClockMove>(request, [], cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (SandboxClockRule.Check(sandbox.Clock.GetUtcNow(), move!) is { } refused)
        {
            return ApiProblems.Invalid(refused.Field, refused.Reason);
        }

        sandbox.Clock.Move(move!);
        var runs = await sandbox.Timers.RunAllAsync(cancellationToken);
        return Answer(sandbox.Clock, [.. runs.Select(r => r.Name)], [.. runs.Where(r => !r.Succeeded).Select(r => r.Name)]);
    }

    private (SandboxClock Clock, ISandboxTimers Timers)? Sandbox() =>
        services.GetService<SandboxClock>() is { } clock && services.GetService<ISandboxTimers>() is { } timers ? (clock, timers) : null;

    private static IResult Answer(SandboxClock clock, IReadOnlyList<string> run, IReadOnlyList<string> failed) =>
        Results.Json(new SandboxClockAnswer(clock.GetUtcNow(), (decimal)clock.Offset.TotalSeconds, run, failed), ApiJson.Options);

    private static IResult Off() => ApiProblems.NotFound(
        "Sandbox mode is off: only a self-host started with Sandbox__Enabled=true (outside Production and Azure) has a clock to move.");
}
