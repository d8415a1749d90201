using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parquet.Serialization;
using Polly;
using Polly.Registry;

namespace UsageProcessor.Metering.Exports;

/// <summary>How one unit's export ended.</summary>
public enum ExportOutcome
{
    /// <summary>This call wrote the parts and committed the manifest.</summary>
    Written,

    /// <summary>The manifest was already there: nothing to do.</summary>
    AlreadyExported,

    /// <summary>Another exporter holds the unit's lease; it will commit it (or its lease runs out and a later run does).</summary>
    Busy,
}

/// <summary>Writes one unit's rows as Parquet parts and commits them with its manifest, exactly once.</summary>
/// <remarks>
/// The manifest is the commit point: it is created with If-None-Match: *, so at most one manifest per unit ever exists,
/// and readers go by it. Part names are deterministic (<c>part-0000.parquet</c>, …) and the rows of a finished day are
/// the same on every read (sorted), so a run after a crash overwrites exactly what the crashed run left. The unit's
/// lease (on <c>_lock</c>, renewed before each part) keeps a second exporter from writing at the same time; a crashed
/// holder's lease runs out after <see cref="LeaseDuration"/>. Parts a crashed run left beyond the committed ones are
/// deleted after the commit, so a glob over <c>*.parquet</c> sees exactly the manifest's files too.
/// </remarks>
public sealed partial class ExportWriter(
    ExportContainer container,
    ResiliencePipelineProvider<string> pipelines,
    TimeProvider timeProvider,
    IOptions<ExportOptions> options,
    ILogger<ExportWriter> logger)
{
    /// <summary>The registry key of the pipeline around every blob call (tests put chaos strategies in it).</summary>
    public const string PipelineKey = "exports";

    /// <summary>How long a unit's lease lasts between renewals (Azure allows 15 to 60 seconds).</summary>
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(60);

    private readonly ResiliencePipeline _pipeline = pipelines.GetPipeline(PipelineKey);

    /// <summary>Creates the container if it does not exist.</summary>
    public Task EnsureContainerAsync(CancellationToken cancellationToken) =>
        RunAsync("container", async ct => await container.Client.CreateIfNotExistsAsync(cancellationToken: ct), cancellationToken);

    /// <summary>The unit's manifest, or null while it has none.</summary>
    public async Task<ExportManifest?> ReadManifestAsync(ExportUnit unit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        return await RunAsync(unit.Manifest, async ct =>
        {
            try
            {
                var content = await container.Client.GetBlobClient(unit.Manifest).DownloadContentAsync(ct);
                return content.Value.Content.ToObjectFromJson<ExportManifest>(ExportManifest.Json);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return null;
            }
        }, cancellationToken);
    }

    /// <summary>Exports <paramref name="unit"/> unless its manifest exists: reads its rows only once it holds the unit's lease.</summary>
    public async Task<ExportOutcome> ExportAsync<TRow>(
        ExportUnit unit, Func<CancellationToken, Task<IReadOnlyList<TRow>>> rows, Func<TRow, decimal?> credits, CancellationToken cancellationToken)
        where TRow : class, new()
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(credits);
        if (await ReadManifestAsync(unit, cancellationToken) is not null)
        {
            return ExportOutcome.AlreadyExported;
        }

        var lease = await TryAcquireAsync(unit, cancellationToken);
        if (lease is null)
        {
            LogBusy(unit.ToString());
            return ExportOutcome.Busy;
        }

        try
        {
            // Another exporter may have committed between the first look and the lease.
            if (await ReadManifestAsync(unit, cancellationToken) is not null)
            {
                return ExportOutcome.AlreadyExported;
            }

            var all = await rows(cancellationToken);
            var size = options.Value.RowsPerPart;
            var parts = new List<ExportPart>();
            for (var (index, at) = (0, 0); at < all.Count; index++, at += size)
            {
                var chunk = all.Skip(at).Take(size).ToList();
                await RunAsync(unit.Part(index), async ct => await lease.RenewAsync(cancellationToken: ct), cancellationToken);
                parts.Add(await WritePartAsync(unit.Part(index), chunk, credits, cancellationToken));
            }

            var manifest = new ExportManifest(unit.Table, unit.Period, unit.Day, ExportManifest.CurrentSchema, timeProvider.GetUtcNow(),
                parts.Sum(p => p.Rows), parts.Sum(p => p.Credits), parts);
            if (!await CommitAsync(unit, manifest, cancellationToken))
            {
                return ExportOutcome.AlreadyExported;
            }

            await DeleteStrayPartsAsync(unit, manifest, cancellationToken);
            LogWritten(unit.ToString(), manifest.Rows, parts.Count, manifest.Credits);
            return ExportOutcome.Written;
        }
        finally
        {
            // A lease the crash left behind runs out by itself; this only frees the unit sooner.
            try
            {
                await lease.ReleaseAsync(cancellationToken: CancellationToken.None);
            }
            catch (RequestFailedException e)
            {
                LogReleaseFailed(e, unit.ToString());
            }
        }
    }

    /// <summary>The names of every part blob under the unit's folder, committed or not.</summary>
    public async Task<IReadOnlyList<string>> ListPartsAsync(ExportUnit unit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        return await RunAsync(unit.Folder, async ct =>
        {
            var names = new List<string>();
            await foreach (var blob in container.Client.GetBlobsAsync(new GetBlobsOptions { Prefix = unit.Folder }, ct))
            {
                if (blob.Name.EndsWith(".parquet", StringComparison.Ordinal))
                {
                    names.Add(blob.Name);
                }
            }

            return names;
        }, cancellationToken);
    }

    /// <summary>Downloads one part.</summary>
    public Task<BinaryData> DownloadAsync(string name, CancellationToken cancellationToken) =>
        RunAsync(name, async ct => (await container.Client.GetBlobClient(name).DownloadContentAsync(ct)).Value.Content, cancellationToken);

    private async Task<ExportPart> WritePartAsync<TRow>(string name, List<TRow> chunk, Func<TRow, decimal?> credits, CancellationToken cancellationToken)
        where TRow : class, new()
    {
        using var buffer = new MemoryStream();
        await ParquetSerializer.SerializeAsync(chunk, buffer, cancellationToken: cancellationToken);
        var bytes = buffer.ToArray();
        await RunAsync(name, async ct =>
            await container.Client.GetBlobClient(name).UploadAsync(new BinaryData(bytes), overwrite: true, ct), cancellationToken);
        return new ExportPart(name, chunk.Count, chunk.Sum(r => credits(r) ?? 0m), bytes.Length);
    }

    // The commit: only the first manifest of a unit is ever created.
    private async Task<bool> CommitAsync(ExportUnit unit, ExportManifest manifest, CancellationToken cancellationToken)
    {
        var body = BinaryData.FromObjectAsJson(manifest, ExportManifest.Json);
        try
        {
            await RunAsync(unit.Manifest, async ct => await container.Client.GetBlobClient(unit.Manifest).UploadAsync(body,
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All }, HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } }, ct),
                cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // A retried create whose first answer was lost finds its own manifest: the same parts, so nothing is lost either way.
            LogCommittedElsewhere(unit.ToString());
            return false;
        }
    }

    private async Task DeleteStrayPartsAsync(ExportUnit unit, ExportManifest manifest, CancellationToken cancellationToken)
    {
        var committed = manifest.Parts.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var stray in (await ListPartsAsync(unit, cancellationToken)).Where(n => !committed.Contains(n)))
        {
            await RunAsync(stray, async ct => await container.Client.GetBlobClient(stray).DeleteIfExistsAsync(cancellationToken: ct), cancellationToken);
        }
    }

    private async Task<BlobLeaseClient?> TryAcquireAsync(ExportUnit unit, CancellationToken cancellationToken)
    {
        var lockBlob = container.Client.GetBlobClient(unit.Lock);
        try
        {
            await RunAsync(unit.Lock, async ct => await lockBlob.UploadAsync(BinaryData.Empty,
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, ct), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // It exists already (a lease on it makes the create fail the same way).
        }

        var lease = lockBlob.GetBlobLeaseClient();
        try
        {
            await RunAsync(unit.Lock, async ct => await lease.AcquireAsync(LeaseDuration, cancellationToken: ct), cancellationToken);
            return lease;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return null;
        }
    }

    private async Task<T> RunAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(operation, cancellationToken);
        try
        {
            return await _pipeline.ExecuteAsync(async c => await call(c.CancellationToken), context);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Exported {Unit}: {Rows} rows in {Parts} parts, {Credits} credits")]
    private partial void LogWritten(string unit, long rows, int parts, decimal credits);

    [LoggerMessage(Level = LogLevel.Information, Message = "Export of {Unit} skipped: another exporter holds its lease")]
    private partial void LogBusy(string unit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Export of {Unit}: its manifest was committed by another exporter (or by a retry whose answer was lost); the parts are the same")]
    private partial void LogCommittedElsewhere(string unit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Export of {Unit}: its lease could not be released; it runs out by itself")]
    private partial void LogReleaseFailed(Exception exception, string unit);
}
