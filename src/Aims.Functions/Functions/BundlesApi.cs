using System.Text.Json.Nodes;
using Aims.Evidence.Catalog;
using Aims.Evidence.Items;
using Aims.Functions.Bundles;
using Aims.Functions.Hosting;
using Aims.Pipeline;
using Aims.Reporting.Bundle;

namespace Aims.Functions.Functions;

/// <summary>
/// <c>Bundles</c> (HTTP, function key; proxied by the host as a plain HTTP request):
/// <c>POST /api/bundles</c> builds an auditor bundle into the store and answers its id;
/// <c>GET /api/bundles/{id}</c> streams the zip, or answers a read-only link valid for at most 15 minutes when
/// <c>Aims:Bundles:SasLinks</c> is true. Every download is logged and recorded in the store.
/// </summary>
public static partial class BundlesApi
{
    public const string Route = "/api/bundles";

    public static IEndpointRouteBuilder MapBundlesApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(Route, CreateAsync);
        app.MapGet(Route + "/{id}", DownloadAsync);
        return app;
    }

    internal static async Task<IResult> CreateAsync(HttpContext http, FunctionsRuntime runtime, ILoggerFactory loggers)
    {
        var cancellationToken = http.RequestAborted;
        var logger = loggers.CreateLogger("Aims.Functions.Bundles");
        BundleApiRequest request;
        try
        {
            request = await BundleApiRequest.ReadAsync(http.Request, ControlCatalog.Default, cancellationToken).ConfigureAwait(false);
        }
        catch (BundleRequestException ex)
        {
            return BadRequest(ex.Field, ex.Message);
        }

        if (request.AiSystem is { } system && runtime.Pipeline.Inventory.Systems.Count > 0 && runtime.Pipeline.Inventory.Find(system) is null)
        {
            return BadRequest("system", $"'{system}' is not an AI system of the inventory.");
        }

        var now = runtime.Time.GetUtcNow();
        var id = BundleId.Create(now, request.Canonical);
        var report = await runtime.Pipeline.AnalyzeAsync(now, request.AiSystem, cancellationToken).ConfigureAwait(false);
        var bundleRequest = new BundleRequest(request.From, request.To, report, EvidencePipeline.CollectorVersion, request.Controls, request.AiSystem)
        {
            Signer = runtime.Pipeline.Checkpoints?.Signer,
            Requirements = runtime.Pipeline.Requirements,
        };

        // The zip goes to a temporary file, then streams into the store: it is never held in memory.
        var temp = Path.Combine(Path.GetTempPath(), $"aims-{id}.zip");
        BundleResult result;
        try
        {
            await using (var file = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous | FileOptions.DeleteOnClose))
            {
                result = await new BundleWriter(runtime.Store, runtime.Time).WriteAsync(bundleRequest, file, cancellationToken: cancellationToken).ConfigureAwait(false);
                file.Position = 0;
                await runtime.Store.PutReportAsync(BundleId.ZipReport(id), file, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (InvalidDataException ex)
        {
            // The ledger names evidence the store no longer holds: an integrity problem for a person to look at, not a bad request.
            LogBuildFailed(logger, id, ex.Message);
            return Results.Text(new JsonObject { ["error"] = $"the bundle could not be built: {ex.Message}" }.ToJsonString(), "application/json", statusCode: StatusCodes.Status500InternalServerError);
        }
        finally
        {
            File.Delete(temp);
        }

        var caller = BundleDownload.FromRequest(http.Request, id, now, "build");
        var record = new JsonObject
        {
            ["type"] = "bundle",
            ["bundleId"] = id,
            ["createdAt"] = CanonicalJson.Timestamp(now),
            ["from"] = CanonicalJson.Timestamp(request.From),
            ["to"] = CanonicalJson.Timestamp(request.To),
            ["controls"] = new JsonArray(request.Controls.Select(c => (JsonNode)c).ToArray()),
            ["system"] = request.AiSystem,
            ["items"] = result.ItemCount,
            ["rawPayloads"] = result.RawCount,
            ["files"] = result.FileCount,
            ["warnings"] = new JsonArray(result.Warnings.Select(w => (JsonNode)w).ToArray()),
            ["requestedBy"] = caller.ToJson()["principal"]!.DeepClone(),
            ["functionKeyFingerprint"] = caller.KeyFingerprint,
        };
        await PutJsonAsync(runtime, BundleId.RecordReport(id), record, cancellationToken).ConfigureAwait(false);
        LogBuilt(logger, id, caller.Caller, result.ItemCount, request.From, request.To);

        var body = new JsonObject
        {
            ["id"] = id,
            ["location"] = $"{Route}/{id}",
            ["items"] = result.ItemCount,
            ["rawPayloads"] = result.RawCount,
            ["files"] = result.FileCount,
            ["warnings"] = new JsonArray(result.Warnings.Select(w => (JsonNode)w).ToArray()),
        };
        return Results.Text(body.ToJsonString(), "application/json", statusCode: StatusCodes.Status201Created);
    }

    internal static async Task<IResult> DownloadAsync(string id, HttpContext http, FunctionsRuntime runtime, ILoggerFactory loggers)
    {
        var cancellationToken = http.RequestAborted;
        var logger = loggers.CreateLogger("Aims.Functions.Bundles");
        if (!BundleId.IsValid(id))
        {
            return BadRequest("id", "'id' is not a bundle id (bundle-YYYYMMDDThhmmssZ-xxxxxxxxxxxx).");
        }

        var now = runtime.Time.GetUtcNow();
        if (runtime.Settings.BundleSasLinks)
        {
            var link = await runtime.BundleLinks!.CreateAsync(BundleId.ZipReport(id), cancellationToken).ConfigureAwait(false);
            if (link is null)
            {
                return NotFound(id);
            }

            var download = BundleDownload.FromRequest(http.Request, id, now, BundleDownload.SasLink, link.ExpiresOn);
            await RecordAsync(runtime, logger, download, cancellationToken).ConfigureAwait(false);
            var body = new JsonObject { ["id"] = id, ["url"] = link.Url.AbsoluteUri, ["expiresOn"] = CanonicalJson.Timestamp(link.ExpiresOn) };
            return Results.Text(body.ToJsonString(), "application/json");
        }

        var zip = await runtime.Store.OpenReportAsync(BundleId.ZipReport(id), cancellationToken).ConfigureAwait(false);
        if (zip is null)
        {
            return NotFound(id);
        }

        try
        {
            await RecordAsync(runtime, logger, BundleDownload.FromRequest(http.Request, id, now, BundleDownload.Stream), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await zip.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        // Results.Stream copies to the response in chunks and disposes the store stream.
        return Results.Stream(zip, "application/zip", fileDownloadName: id + ".zip");
    }

    private static async Task RecordAsync(FunctionsRuntime runtime, ILogger logger, BundleDownload download, CancellationToken cancellationToken)
    {
        await PutJsonAsync(runtime, download.ReportName, download.ToJson(), cancellationToken).ConfigureAwait(false);
        LogDownload(logger, download.BundleId, download.Caller, download.Delivery, download.At);
    }

    private static async Task PutJsonAsync(FunctionsRuntime runtime, string name, JsonObject json, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream(CanonicalJson.ToBytes(json), writable: false);
        await runtime.Store.PutReportAsync(name, content, cancellationToken).ConfigureAwait(false);
    }

    private static IResult BadRequest(string field, string error) =>
        Results.Text(new JsonObject { ["error"] = error, ["field"] = field }.ToJsonString(), "application/json", statusCode: StatusCodes.Status400BadRequest);

    private static IResult NotFound(string id) =>
        Results.Text(new JsonObject { ["error"] = $"no bundle '{id}'", ["field"] = "id" }.ToJsonString(), "application/json", statusCode: StatusCodes.Status404NotFound);

    [LoggerMessage(EventId = 4020, Level = LogLevel.Information, Message = "Bundle {BundleId} built for {Caller}: {Items} item(s), period {From:yyyy-MM-dd} to {To:yyyy-MM-dd}")]
    private static partial void LogBuilt(ILogger logger, string bundleId, string caller, int items, DateTimeOffset from, DateTimeOffset to);

    [LoggerMessage(EventId = 4022, Level = LogLevel.Error, Message = "Bundle {BundleId} could not be built: {Reason}")]
    private static partial void LogBuildFailed(ILogger logger, string bundleId, string reason);

    [LoggerMessage(EventId = 4021, Level = LogLevel.Information, Message = "Bundle {BundleId} downloaded by {Caller} ({Delivery}) at {At:o}")]
    private static partial void LogDownload(ILogger logger, string bundleId, string caller, string delivery, DateTimeOffset at);
}
