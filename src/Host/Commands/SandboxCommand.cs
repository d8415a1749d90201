using System.Globalization;
using System.Text.Json;
using UsageProcessor.Host.Hosting;

namespace UsageProcessor.Host.Commands;

/// <summary><c>sandbox clock</c>: reads or moves the clock of a running self-host in sandbox mode, through its route.</summary>
/// <remarks>The clock lives in the self-host's process (every timer there must see the move), so this command calls
/// <c>/api/sandbox/clock</c> rather than storage.</remarks>
public static class SandboxCommand
{
    /// <summary>Runs the command; answers 1 with the route's reason when the host refuses or cannot be reached.</summary>
    public static async Task<int> RunAsync(SandboxArguments arguments, TextWriter output, CancellationToken cancellationToken, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(output);
        var key = arguments.Key ?? CommandServices.Configuration(null)[$"{SelfHostOptions.Section}:{nameof(SelfHostOptions.FunctionKeys)}:0"];
        using var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.BaseAddress = arguments.Url;
        http.Timeout = TimeSpan.FromMinutes(5);
        using var request = new HttpRequestMessage(
            arguments.To is null && arguments.AdvanceMinutes is null ? HttpMethod.Get : HttpMethod.Post, "api/sandbox/clock");
        request.Headers.Add("x-functions-key", key);
        if (request.Method == HttpMethod.Post)
        {
            request.Content = JsonContent.Create(arguments.To is { } to
                ? new Dictionary<string, object> { ["to"] = to.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture) }
                : new Dictionary<string, object> { ["advanceMinutes"] = arguments.AdvanceMinutes! });
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new CommandException($"The self-host at {arguments.Url} did not answer ({e.Message}). Is it running, in sandbox mode (Sandbox__Enabled=true)?", e);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new CommandException($"The self-host refused ({(int)response.StatusCode}): {Reason(body)}");
            }

            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            var ran = root.GetProperty("timersRun").EnumerateArray().Select(e => e.GetString()).ToList();
            var failed = root.GetProperty("timersFailed").EnumerateArray().Select(e => e.GetString()).ToList();
            await output.WriteLineAsync(
                $"The sandbox clock is {root.GetProperty("now").GetDateTimeOffset().UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} ({root.GetProperty("offsetSeconds").GetDecimal():0.#} s ahead of this machine).");
            if (ran.Count > 0)
            {
                await output.WriteLineAsync($"Ran {string.Join(", ", ran)} at the new time{(failed.Count > 0 ? $"; failed: {string.Join(", ", failed)} (see the host's log)" : string.Empty)}.");
            }

            return failed.Count > 0 ? 1 : 0;
        }
    }

    // The problem's detail, else its field errors, else the body as it came.
    private static string Reason(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                return string.Join("; ", errors.EnumerateObject().Select(f => $"{f.Name} {string.Join(' ', f.Value.EnumerateArray().Select(r => r.GetString()))}"));
            }

            return json.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() ?? body : body;
        }
        catch (JsonException)
        {
            return body;
        }
    }
}
