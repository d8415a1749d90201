using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace UsageProcessor.Client;

/// <summary>The result of one event the API refused for its content (it is never billed; fix it and send it again).</summary>
/// <param name="JobId">The event's job id.</param>
/// <param name="Errors">Each bad field with its reasons.</param>
public sealed record RefusedEvent(string JobId, IReadOnlyDictionary<string, IReadOnlyList<string>> Errors);

/// <summary>
/// Sends job-completed events to <c>POST /api/events</c> in gzip NDJSON batches, flushed at a count, a size or an age.
/// </summary>
/// <remarks>
/// One loop sends one batch at a time, in the order events were added, so nothing is reordered. Nothing is dropped:
/// the HTTP client's resilience pipeline retries 429, 503 and network faults with back-off, and when it gives up the
/// same batch is sent again after <see cref="EventSenderOptions.RetryDelay"/>; events a 503 reports as not stored are
/// sent again, alone and in order. Resending is safe: the API bills a job id once. Every event needs its jobId.
/// </remarks>
public sealed class EventSender : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly EventSenderOptions _options;
    private readonly Channel<Item> _queue = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private readonly List<RefusedEvent> _refused = [];
    private long _accepted;

    /// <summary>Sends through <paramref name="http"/>, whose base address is the API's and which carries the key and a resilience handler.</summary>
    public EventSender(HttpClient http, EventSenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        _options = options ?? new EventSenderOptions();
        if (_options.MaxEvents is < 1 or > EventSenderOptions.MaxEventsPerBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"MaxEvents must be from 1 to {EventSenderOptions.MaxEventsPerBatch}.");
        }

        if (_options.MaxBytes is < 1 or > EventSenderOptions.MaxBytesPerBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"MaxBytes must be from 1 to {EventSenderOptions.MaxBytesPerBatch}.");
        }

        _loop = Task.Run(RunAsync);
    }

    /// <summary>Events the API stored (each is billed once).</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Events the API refused for their content, in the order sent.</summary>
    public IReadOnlyList<RefusedEvent> Refused
    {
        get
        {
            lock (_refused)
            {
                return [.. _refused];
            }
        }
    }

    /// <summary>Queues one event (a JSON object with at least <c>jobId</c>); it is sent after the events queued before it.</summary>
    /// <exception cref="ArgumentException">The event is not a JSON object with a non-empty string jobId.</exception>
    public ValueTask AddAsync(string eventJson, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventJson);
        var node = JsonNode.Parse(eventJson) as JsonObject
            ?? throw new ArgumentException("An event is a JSON object.", nameof(eventJson));
        if (node["jobId"] is not JsonValue id || !id.TryGetValue<string>(out var jobId) || string.IsNullOrWhiteSpace(jobId))
        {
            throw new ArgumentException("An event needs its jobId: it is what makes a resent event count once.", nameof(eventJson));
        }

        // One line of NDJSON: the event written again without indentation or line breaks.
        return _queue.Writer.WriteAsync(new Item(node.ToJsonString(), jobId, null), cancellationToken);
    }

    /// <summary>Sends everything queued so far and waits until the API has answered for all of it.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _queue.Writer.WriteAsync(new Item(null, null, flushed), cancellationToken).ConfigureAwait(false);
        await flushed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        var batch = new List<Item>();
        var bytes = 0;
        var reader = _queue.Reader;
        while (true)
        {
            Item? next = null;
            if (batch.Count == 0)
            {
                if (!await reader.WaitToReadAsync().ConfigureAwait(false))
                {
                    return;
                }

                reader.TryRead(out next);
            }
            else
            {
                // A batch waits at most MaxDelay from its first event.
                using var age = new CancellationTokenSource(_options.MaxDelay);
                try
                {
                    if (await reader.WaitToReadAsync(age.Token).ConfigureAwait(false))
                    {
                        reader.TryRead(out next);
                    }
                }
                catch (OperationCanceledException) when (age.IsCancellationRequested)
                {
                }
            }

            if (next is { Flushed: { } flushed })
            {
                await SendAsync(batch).ConfigureAwait(false);
                batch.Clear();
                bytes = 0;
                flushed.TrySetResult();
                continue;
            }

            if (next is { Line: { } line })
            {
                var size = Encoding.UTF8.GetByteCount(line) + 1;
                if (batch.Count > 0 && bytes + size > _options.MaxBytes)
                {
                    await SendAsync(batch).ConfigureAwait(false);
                    batch.Clear();
                    bytes = 0;
                }

                batch.Add(next);
                bytes += size;
                if (batch.Count < _options.MaxEvents && bytes < _options.MaxBytes)
                {
                    continue;
                }
            }

            // Full, aged, or the queue closed: send what there is.
            await SendAsync(batch).ConfigureAwait(false);
            batch.Clear();
            bytes = 0;
            if (next is null && reader.Completion.IsCompleted)
            {
                return;
            }
        }
    }

    private async Task SendAsync(IReadOnlyList<Item> batch)
    {
        var pending = batch.ToList();
        while (pending.Count > 0)
        {
            EventBatch? answer;
            try
            {
                answer = await PostAsync(pending).ConfigureAwait(false);
            }
            catch (HttpRequestException)
            {
                answer = null;
            }
            catch (TaskCanceledException)
            {
                // A timeout of the pipeline: the API may or may not have stored the batch; sending again is safe.
                answer = null;
            }

            if (answer is null)
            {
                await Task.Delay(_options.RetryDelay).ConfigureAwait(false);
                continue;
            }

            var again = new List<Item>();
            foreach (var result in answer.Results)
            {
                var item = pending[result.Index];
                switch (result.Status)
                {
                    case "accepted":
                        Interlocked.Increment(ref _accepted);
                        break;
                    case "refused":
                        lock (_refused)
                        {
                            _refused.Add(new RefusedEvent(item.JobId!, result.Errors ?? new Dictionary<string, IReadOnlyList<string>>()));
                        }

                        break;
                    default:
                        again.Add(item);
                        break;
                }
            }

            if (again.Count > 0)
            {
                await Task.Delay(answer.RetryAfter ?? _options.RetryDelay).ConfigureAwait(false);
            }

            pending = again;
        }
    }

    private async Task<EventBatch?> PostAsync(IReadOnlyList<Item> items)
    {
        using var body = new MemoryStream();
        await using (var gzip = new GZipStream(body, CompressionLevel.Fastest, leaveOpen: true))
        {
            foreach (var item in items)
            {
                var line = Encoding.UTF8.GetBytes(item.Line + "\n");
                await gzip.WriteAsync(line).ConfigureAwait(false);
            }
        }

        using var content = new ByteArrayContent(body.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        content.Headers.ContentEncoding.Add("gzip");
        using var response = await _http.PostAsync(new Uri("api/events", UriKind.Relative), content).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable
            && response.Content.Headers.ContentType?.MediaType is "application/json" or "application/problem+json")
        {
            var batch = await response.Content.ReadFromJsonAsync<EventBatch>(JsonSerializerOptions.Web).ConfigureAwait(false);
            if (batch is { Results: not null })
            {
                return batch with { RetryAfter = response.Headers.RetryAfter?.Delta };
            }
        }

        if (response.StatusCode is HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500)
        {
            // The pipeline's retries are spent: the caller waits and sends the same batch again.
            return null;
        }

        // 400, 401, 413, 415: sending again cannot help, and dropping the events is never done silently.
        throw new HttpRequestException(
            $"POST /api/events answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}",
            null, response.StatusCode);
    }

    private sealed record Item(string? Line, string? JobId, TaskCompletionSource? Flushed);

    private sealed record EventBatch(IReadOnlyList<EventResult> Results)
    {
        public TimeSpan? RetryAfter { get; init; }
    }

    private sealed record EventResult(int Index, string? JobId, string Status, IReadOnlyDictionary<string, IReadOnlyList<string>>? Errors);
}
