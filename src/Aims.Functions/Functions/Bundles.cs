using System.Text.Json.Nodes;
using Aims.Evidence.Catalog;
using Aims.Evidence.Items;
using Aims.Functions.Bundles;
using Aims.Functions.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Aims.Functions.Functions;

/// <summary>
/// <c>Bundles</c> (HTTP, function key; Easy Auth with Entra ID in production, docs/deploy.md):
/// <c>POST /api/bundles</c> validates the request, records it and queues the build, answering 202 with the status URL
/// (a large bundle would outlast the ~230 s an HTTP request may take); <c>GET /api/bundles/{id}</c> answers the status
/// and, once ready, a read-only link valid for 15 minutes (a container store) or the zip itself (a folder store).
/// Every download is logged and recorded in the store as an audit event before the bundle is handed out.
/// </summary>
public sealed partial class Bundles(FunctionsRuntime runtime, StorageClients storage, BundleLinks links, ILogger<Bundles> logger)
{
    public const string Name = "Bundles";
    public const string RoutePrefix = "/api/bundles";

    [Function(Name)]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", Route = "bundles/{id?}")] HttpRequest request,
        string? id,
        CancellationToken cancellationToken)
    {
        if (HttpMethods.IsPost(request.Method))
        {
            return id is null ? await CreateAsync(request, cancellationToken).ConfigureAwait(false) : Error(405, "id", "POST goes to /api/bundles, without an id.");
        }

        return id is null ? Error(400, "id", "GET needs a bundle id: /api/bundles/{id}.") : await StatusAsync(request, id, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IActionResult> CreateAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        BundleApiRequest request;
        try
        {
            request = await BundleApiRequest.ReadAsync(http, ControlCatalog.Default, cancellationToken).ConfigureAwait(false);
        }
        catch (BundleRequestException ex)
        {
            return Error(400, ex.Field, ex.Message);
        }

        if (request.AiSystem is { } system && runtime.Pipeline.Inventory.Find(system) is null)
        {
            return Error(400, "system", $"'{system}' is not an AI system of the inventory.");
        }

        var now = runtime.Time.GetUtcNow();
        var id = BundleId.Create(now, request.Canonical);
        var caller = BundleDownload.FromRequest(http, id, now, "request");
        await BundleStatus.WriteAsync(runtime.Store, id, BundleStatus.Create(id, request, caller, now), cancellationToken).ConfigureAwait(false);
        var queue = storage.Queue(QueueNames.BundleBuilds);
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await queue.SendMessageAsync(new JsonObject { ["bundleId"] = id }.ToJsonString(), cancellationToken).ConfigureAwait(false);
        LogQueued(logger, id, caller.Caller, request.From, request.To);

        var location = $"{RoutePrefix}/{id}";
        http.HttpContext.Response.Headers.Location = location;
        return Json(202, new JsonObject { ["id"] = id, ["status"] = BundleStatus.Queued, ["statusUrl"] = location });
    }

    private async Task<IActionResult> StatusAsync(HttpRequest http, string id, CancellationToken cancellationToken)
    {
        if (!BundleId.IsValid(id))
        {
            return Error(400, "id", "'id' is not a bundle id (bundle-YYYYMMDDThhmmssZ-xxxxxxxxxxxx).");
        }

        var record = await BundleStatus.ReadAsync(runtime.Store, id, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return Error(404, "id", $"no bundle '{id}'");
        }

        var status = BundleStatus.StatusOf(record);
        var body = new JsonObject { ["id"] = id, ["status"] = status };
        foreach (var field in new[] { "requestedAt", "builtAt", "items", "rawPayloads", "files", "warnings", "error" })
        {
            if (record[field] is { } value)
            {
                body[field] = value.DeepClone();
            }
        }

        if (status != BundleStatus.Ready)
        {
            return Json(200, body);
        }

        var now = runtime.Time.GetUtcNow();
        if (!links.Available)
        {
            // A folder store has no URL to sign: hand the zip out directly, after recording who took it.
            var zip = await runtime.Store.OpenReportAsync(BundleId.ZipReport(id), cancellationToken).ConfigureAwait(false);
            if (zip is null)
            {
                return Error(404, "id", $"bundle '{id}' is recorded as ready but its zip is missing");
            }

            try
            {
                await RecordDownloadAsync(BundleDownload.FromRequest(http, id, now, BundleDownload.Stream), cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await zip.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            return new FileStreamResult(zip, "application/zip") { FileDownloadName = id + ".zip" };
        }

        var link = await links.CreateAsync(BundleId.ZipReport(id), cancellationToken).ConfigureAwait(false);
        await RecordDownloadAsync(BundleDownload.FromRequest(http, id, now, link.Signing, link.ExpiresOn), cancellationToken).ConfigureAwait(false);
        body["url"] = link.Url.AbsoluteUri;
        body["expiresOn"] = CanonicalJson.Timestamp(link.ExpiresOn);
        body["signing"] = link.Signing;
        return Json(200, body);
    }

    private async Task RecordDownloadAsync(BundleDownload download, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream(CanonicalJson.ToBytes(download.ToJson()), writable: false);
        await runtime.Store.PutReportAsync(download.ReportName, content, cancellationToken).ConfigureAwait(false);
        LogDownload(logger, download.BundleId, download.Caller, download.Delivery, download.At);
    }

    private static ContentResult Json(int status, JsonObject body) => new() { StatusCode = status, ContentType = "application/json", Content = body.ToJsonString() };

    private static ContentResult Error(int status, string field, string error) => Json(status, new JsonObject { ["error"] = error, ["field"] = field });

    [LoggerMessage(EventId = 4020, Level = LogLevel.Information, Message = "Bundle {BundleId} queued for {Caller}: period {From:yyyy-MM-dd} to {To:yyyy-MM-dd}")]
    private static partial void LogQueued(ILogger logger, string bundleId, string caller, DateTimeOffset from, DateTimeOffset to);

    [LoggerMessage(EventId = 4021, Level = LogLevel.Information, Message = "Audit: bundle {BundleId} downloaded by {Caller} ({Delivery}) at {At:o}")]
    private static partial void LogDownload(ILogger logger, string bundleId, string caller, string delivery, DateTimeOffset at);
}
