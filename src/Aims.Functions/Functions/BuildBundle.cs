using System.Text.Json.Nodes;
using Aims.Evidence.Items;
using Aims.Functions.Bundles;
using Aims.Functions.Hosting;
using Aims.Pipeline.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace Aims.Functions.Functions;

/// <summary>
/// <c>BuildBundle</c> (queue trigger on <c>bundle-builds</c>): builds a requested bundle with the same builder as the
/// CLI into a temporary file (never held in memory), stores it as the report <c>bundles/{id}.zip</c> and marks its
/// record ready. A redelivered message for a ready bundle does nothing; a transient storage failure throws (the host
/// retries); a ledger that names evidence the store no longer holds marks the bundle failed with the reason.
/// </summary>
public sealed partial class BuildBundle(FunctionsRuntime runtime, BundleBuilder bundles, ILogger<BuildBundle> logger)
{
    public const string Name = "BuildBundle";

    [Function(Name)]
    public async Task RunAsync([QueueTrigger(QueueNames.BundleBuilds, Connection = AppSettingNames.Storage)] string message, CancellationToken cancellationToken)
    {
        var id = ReadId(message);
        if (!BundleId.IsValid(id))
        {
            LogUnreadable(logger, message.Length <= 200 ? message : message[..200]);
            return;
        }

        var record = await BundleStatus.ReadAsync(runtime.Store, id!, cancellationToken).ConfigureAwait(false);
        if (record is null || BundleStatus.StatusOf(record) != BundleStatus.Queued)
        {
            return;
        }

        var request = BundleStatus.RequestOf(record);
        var temp = Path.Combine(Path.GetTempPath(), $"aims-{id}-{Guid.NewGuid():N}.zip");
        try
        {
            await using var file = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
            var prepared = await bundles.PrepareAsync(runtime.Time.GetUtcNow(), request.From, request.To, request.Controls, request.AiSystem, cancellationToken).ConfigureAwait(false);
            var result = await bundles.WriteAsync(prepared, file, cancellationToken).ConfigureAwait(false);
            file.Position = 0;
            await runtime.Store.PutReportAsync(BundleId.ZipReport(id!), file, cancellationToken).ConfigureAwait(false);
            record["status"] = BundleStatus.Ready;
            record["builtAt"] = CanonicalJson.Timestamp(runtime.Time.GetUtcNow());
            record["items"] = result.ItemCount;
            record["rawPayloads"] = result.RawCount;
            record["files"] = result.FileCount;
            record["warnings"] = new JsonArray(result.Warnings.Select(w => (JsonNode)w).ToArray());
            LogBuilt(logger, id!, result.ItemCount, result.FileCount);
        }
        catch (InvalidDataException ex)
        {
            // The ledger names evidence the store no longer holds: an integrity problem for a person, not for a retry.
            record["status"] = BundleStatus.Failed;
            record["error"] = $"the bundle could not be built: {ex.Message}";
            LogFailed(logger, id!, ex.Message);
        }

        await BundleStatus.WriteAsync(runtime.Store, id!, record, cancellationToken).ConfigureAwait(false);
    }

    private static string? ReadId(string message)
    {
        try
        {
            return JsonNode.Parse(message) is JsonObject o && o["bundleId"] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(EventId = 4023, Level = LogLevel.Information, Message = "Bundle {BundleId} built: {Items} item(s), {Files} file(s)")]
    private static partial void LogBuilt(ILogger logger, string bundleId, int items, int files);

    [LoggerMessage(EventId = 4022, Level = LogLevel.Error, Message = "Bundle {BundleId} could not be built: {Reason}")]
    private static partial void LogFailed(ILogger logger, string bundleId, string reason);

    [LoggerMessage(EventId = 4024, Level = LogLevel.Error, Message = "A bundle-builds message names no bundle and is dropped: {Message}")]
    private static partial void LogUnreadable(ILogger logger, string message);
}
