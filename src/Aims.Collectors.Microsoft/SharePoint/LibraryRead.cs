using System.Text.Json.Nodes;
using Aims.Collectors.Documents;
using Aims.Collectors.Microsoft.Entra;
using Aims.Collectors.Microsoft.Settings;
using Aims.Collectors.Sources;
using Aims.Evidence;
using Aims.Evidence.Collection;
using Aims.Evidence.Items;
using Aims.Evidence.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using DriveDeltaResponse = Microsoft.Graph.Drives.Item.Items.Item.Delta.DeltaGetResponse;

namespace Aims.Collectors.Microsoft.SharePoint;

/// <summary>
/// One read of one document library. The site and library are resolved, then the drive's delta feed says which files
/// exist (a full read) or which changed since the kept delta link (a re-run). Each new or changed file is read with its
/// list item fields; its content is downloaded only when it changed (<c>cTag</c>), and a file the feed does not mention
/// is observed again from what was kept, so an unchanged document costs no request at all.
/// </summary>
internal sealed class LibraryRead(
    GraphServiceClient client,
    SharePointSettings settings,
    SharePointLibrary library,
    IEvidenceSink sink,
    ILogger logger,
    TimeProvider time,
    ICollectorState? store)
{
    private const int MaxVersions = 50;

    private string _siteId = "";
    private string _driveId = "";
    private string _drivePath = "";
    private string? _listId;
    private ContentDownload _content = null!;
    private int _changed;
    private int _removed;
    private int _documents;

    public async Task RunAsync(Subject sourceSubject, CancellationToken cancellationToken = default)
    {
        var key = LibraryState.Key(settings.BaseUrl, library);
        var (kept, stateReason) = await LibraryState.LoadAsync(store, key, logger, cancellationToken).ConfigureAwait(false);
        Dictionary<string, DeltaEntry> changes;
        string deltaLink;
        string mode;
        try
        {
            await ResolveAsync(cancellationToken).ConfigureAwait(false);
            var reason = kept is null ? stateReason : FullReadReason(kept);
            if (reason is null)
            {
                (changes, deltaLink, mode) = await TryDeltaAsync(kept!, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                (changes, deltaLink) = await EnumerateAsync(null, cancellationToken).ConfigureAwait(false);
                mode = $"full ({reason})";
            }
        }
        catch (GraphCallException ex)
        {
            SharePointLog.DocumentFailed(logger, library.ToString(), ex.Message);
            await sink.ReportErrorAsync(sourceSubject, EvidenceKinds.Document, ex.Operation.ToString(), $"{library}: {ex.Message}", cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        var isDelta = mode == "delta";
        SharePointLog.Reading(logger, library.ToString(), isDelta ? "delta" : "full", mode);
        var state = new LibraryState
        {
            SiteId = _siteId,
            DriveId = _driveId,
            DeltaLink = deltaLink,
            FullReadAt = isDelta ? kept!.FullReadAt : time.GetUtcNow(),
        };
        var previous = kept is not null && kept.SiteId == _siteId && kept.DriveId == _driveId ? kept.Files : [];
        if (isDelta)
        {
            foreach (var (id, file) in previous)
            {
                state.Files[id] = file;
            }

            foreach (var (id, folder) in kept!.Folders)
            {
                state.Folders[id] = folder;
            }

            state.RootId = kept.RootId;
        }

        var movedFolders = ApplyFolders(state, changes.Values);
        foreach (var entry in changes.Values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entry.Deleted)
            {
                _removed += state.Files.Remove(entry.Id) ? 1 : 0;
                continue;
            }

            if (!entry.IsFile)
            {
                continue;
            }

            // A file whose folder is known to lie outside the configured folders costs no request.
            if (state.PathOf(entry.ParentId, entry.Name ?? "") is { } known && entry.Name is not null && !library.Covers(known))
            {
                state.Files[entry.Id] = new KeptFile(entry.Id, entry.ETag, entry.CTag, KeptFile.Skipped, null, entry.ParentId, entry.Name);
                continue;
            }

            var before = previous.GetValueOrDefault(entry.Id);
            if (isDelta && before is { Status: not KeptFile.Failed } && before.ETag == entry.ETag && before.CTag == entry.CTag)
            {
                // The feed repeats an item it reported before: nothing changed.
                await ReplayAsync(state, before, "unchanged", cancellationToken).ConfigureAwait(false);
                continue;
            }

            _changed++;
            await ReadFileAsync(state, entry.Id, before, isDelta ? "delta" : "full", entry.ParentId, entry.Name, cancellationToken).ConfigureAwait(false);
        }

        if (isDelta)
        {
            foreach (var file in previous.Values.Where(f => !changes.ContainsKey(f.ItemId)).OrderBy(f => f.ItemId, StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (file.Status == KeptFile.Failed)
                {
                    // A file that failed last time is not in the feed unless it changed: read it again.
                    await ReadFileAsync(state, file.ItemId, file, "retry", file.ParentId, file.Name, cancellationToken).ConfigureAwait(false);
                }
                else if (state.IsUnder(file.ParentId, movedFolders))
                {
                    // The feed reports a renamed or moved folder, not the files in it: their paths changed.
                    _changed++;
                    await ReadFileAsync(state, file.ItemId, file, "delta", file.ParentId, file.Name, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await ReplayAsync(state, file, "unchanged", cancellationToken).ConfigureAwait(false);
                }
            }
        }

        await state.SaveAsync(store, key, logger, cancellationToken).ConfigureAwait(false);
        SharePointLog.Done(logger, library.ToString(), _documents, _content.Downloaded, _changed, _removed);
    }

    /// <summary>Takes the root and folder entries of the feed into the state; returns the folders renamed or moved since last time.</summary>
    private static HashSet<string> ApplyFolders(LibraryState state, IEnumerable<DeltaEntry> entries)
    {
        var moved = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries.Where(e => e.IsRoot))
        {
            state.RootId = entry.Id;
        }

        foreach (var entry in entries.Where(e => e.IsFolder && !e.IsRoot))
        {
            if (entry.Deleted)
            {
                state.Folders.Remove(entry.Id);
                continue;
            }

            if (entry.Name is null)
            {
                continue;
            }

            if (state.Folders.TryGetValue(entry.Id, out var before) && (before.Name != entry.Name || before.ParentId != entry.ParentId))
            {
                moved.Add(entry.Id);
            }

            state.Folders[entry.Id] = new KeptFolder(entry.Name, entry.ParentId);
        }

        return moved;
    }

    /// <summary>Why the kept state cannot be followed by delta, or null when it can.</summary>
    private string? FullReadReason(LibraryState kept) =>
        settings.FullReadEveryDays == 0 ? $"incremental re-runs are off ({settings.Path}:FullReadEveryDays is 0)"
        : kept.SiteId != _siteId || kept.DriveId != _driveId ? "the site or library resolves to another drive than last time"
        : time.GetUtcNow() - kept.FullReadAt >= TimeSpan.FromDays(settings.FullReadEveryDays) ? $"the last full read is older than {settings.FullReadEveryDays} days"
        : !IsUnderGraphRoot(kept.DeltaLink) ? "no usable delta link"
        : null;

    private async Task<(Dictionary<string, DeltaEntry>, string, string)> TryDeltaAsync(LibraryState kept, CancellationToken cancellationToken)
    {
        try
        {
            var round = await EnumerateAsync(kept.DeltaLink, cancellationToken).ConfigureAwait(false);
            return (round.Changes, round.DeltaLink, "delta");
        }
        catch (GraphCallException ex) when (ex.Status is 400 or 404 or 410 || ex.Status is null)
        {
            // 410 resyncRequired (and an expired token's 400) mean the link is spent: read everything instead.
            SharePointLog.DeltaRefused(logger, library.ToString(), ex.Message);
            var full = await EnumerateAsync(null, cancellationToken).ConfigureAwait(false);
            return (full.Changes, full.DeltaLink, $"full (the kept delta link was refused: {ex.Message})");
        }
    }

    private bool IsUnderGraphRoot(string? link) =>
        Uri.TryCreate(link, UriKind.Absolute, out var uri)
        && uri.Scheme == Uri.UriSchemeHttps
        && string.Equals(uri.Authority, settings.BaseUrl.Authority, StringComparison.OrdinalIgnoreCase)
        && uri.AbsolutePath.StartsWith(settings.BaseUrl.AbsolutePath.TrimEnd('/') + "/drives/", StringComparison.OrdinalIgnoreCase);

    private async Task ResolveAsync(CancellationToken cancellationToken)
    {
        Site site;
        if (library.SiteIsUrl)
        {
            var url = new Uri(library.Site);
            var path = url.AbsolutePath.Trim('/');
            var address = path.Length == 0
                ? $"{settings.BaseUrl}/sites/{url.Host}"
                : $"{settings.BaseUrl}/sites/{url.Host}:/{string.Join('/', path.Split('/').Select(s => Uri.EscapeDataString(Uri.UnescapeDataString(s))))}";
            site = await GraphFailure.CallAsync(
                SharePointOperations.SiteByUrl,
                () => client.Sites["root"].WithUrl(address).GetAsync(rc => rc.QueryParameters.Select = ["id", "webUrl", "displayName"], cancellationToken),
                cancellationToken).ConfigureAwait(false) ?? throw NotFound(SharePointOperations.SiteByUrl, "site");
        }
        else
        {
            site = await GraphFailure.CallAsync(
                SharePointOperations.Site,
                () => client.Sites[library.Site].GetAsync(rc => rc.QueryParameters.Select = ["id", "webUrl", "displayName"], cancellationToken),
                cancellationToken).ConfigureAwait(false) ?? throw NotFound(SharePointOperations.Site, "site");
        }

        _siteId = site.Id ?? throw NotFound(SharePointOperations.Site, "site id");
        var drives = await GraphPager.ListAsync<Drive, DriveCollectionResponse>(
            client,
            SharePointOperations.Drives,
            () => client.Sites[_siteId].Drives.GetAsync(rc => rc.QueryParameters.Select = ["id", "name", "webUrl", "driveType"], cancellationToken),
            cancellationToken).ConfigureAwait(false);
        var drive = drives.FirstOrDefault(d => string.Equals(d.Id, library.Library, StringComparison.Ordinal))
            ?? drives.FirstOrDefault(d => string.Equals(d.Name, library.Library, StringComparison.OrdinalIgnoreCase))
            ?? throw new GraphCallException(
                SharePointOperations.Drives,
                404,
                $"the site {site.WebUrl ?? library.Site} has no document library '{library.Library}' (it has: {string.Join(", ", drives.Select(d => d.Name).Order(StringComparer.Ordinal))}).");
        _driveId = drive.Id!;
        _content = new ContentDownload(client, settings, _driveId, sink);
        _drivePath = SharePointPaths.FromUrl(drive.WebUrl ?? $"{site.WebUrl}/{drive.Name}");
    }

    private static GraphCallException NotFound(GraphOperation operation, string what) => new(operation, 404, $"{operation} returned no {what}.");

    /// <summary>Every entry of the feed, last occurrence winning (Graph may repeat an item), and the link for the next round.</summary>
    private async Task<(Dictionary<string, DeltaEntry> Changes, string DeltaLink)> EnumerateAsync(string? deltaLink, CancellationToken cancellationToken)
    {
        var changes = new Dictionary<string, DeltaEntry>(StringComparer.Ordinal);
        var builder = client.Drives[_driveId].Items["root"].Delta;
        var paging = await GraphPager.ForEachAsync<DriveItem, DriveDeltaResponse>(
            client,
            SharePointOperations.Delta,
            () => deltaLink is null
                ? builder.GetAsDeltaGetResponseAsync(rc => rc.QueryParameters.Select = ["id", "name", "file", "folder", "deleted", "eTag", "cTag", "size", "root", "parentReference"], cancellationToken)
                : builder.WithUrl(deltaLink).GetAsDeltaGetResponseAsync(cancellationToken: cancellationToken),
            item =>
            {
                if (item.Id is { Length: > 0 } id)
                {
                    var deleted = item.Deleted is not null || item.AdditionalData.ContainsKey("@removed");
                    changes[id] = new DeltaEntry(
                        id,
                        item.File is not null || (deleted && item.Folder is null),
                        item.Folder is not null,
                        item.Root is not null,
                        deleted,
                        item.ETag,
                        item.CTag,
                        item.Name,
                        item.ParentReference?.Id);
                }

                return Task.CompletedTask;
            },
            cancellationToken).ConfigureAwait(false);
        return paging.DeltaLink is { } link
            ? (changes, link)
            : throw new GraphCallException(SharePointOperations.Delta, null, $"{SharePointOperations.Delta} ended without an @odata.deltaLink.");
    }

    private async Task ReplayAsync(LibraryState state, KeptFile file, string readMode, CancellationToken cancellationToken)
    {
        state.Files[file.ItemId] = file;
        if (file.Status == KeptFile.Document)
        {
            await sink.EmitAsync(file.Replay(readMode), cancellationToken).ConfigureAwait(false);
            _documents++;
        }
    }

    private async Task ReadFileAsync(LibraryState state, string itemId, KeptFile? before, string readMode, string? parentId, string? name, CancellationToken cancellationToken)
    {
        // Named by its path whenever the folders are known, so a failure is reported against the document itself.
        var knownPath = name is null ? null : state.PathOf(parentId, name);
        var subject = new Subject("document", $"{_drivePath}/{knownPath ?? itemId}", name ?? itemId);
        string? documentType = null;
        string locator = $"{settings.BaseUrl}/drives/{_driveId}/items/{itemId}";
        try
        {
            var item = await GraphFailure.CallAsync(
                SharePointOperations.Item,
                () => client.Drives[_driveId].Items[itemId].GetAsync(rc => rc.QueryParameters.Expand = ["listItem($expand=fields)"], cancellationToken),
                cancellationToken).ConfigureAwait(false);
            if (item is null || item.Deleted is not null)
            {
                _removed += state.Files.Remove(itemId) ? 1 : 0;
                return;
            }

            var path = SharePointPaths.InDrive(item.ParentReference?.Path, item.Name ?? itemId);
            subject = new Subject("document", $"{_drivePath}/{path}", item.Name ?? itemId);
            locator = item.WebUrl ?? locator;
            if (item.File is null || !library.Covers(path))
            {
                state.Files[itemId] = new KeptFile(itemId, item.ETag, item.CTag, KeptFile.Skipped, null, item.ParentReference?.Id, item.Name);
                return;
            }

            var fields = await GraphJson.ToNodeAsync(item.ListItem?.Fields, cancellationToken).ConfigureAwait(false) as JsonObject ?? [];
            var unresolved = new List<string>();
            var metadata = settings.Columns.ToMetadata(fields, unresolved);
            documentType = metadata?.DocumentType;
            var mediaType = DocumentSelection.MediaTypeOf(item.Name ?? "");
            RawRef? raw = before is { Status: KeptFile.Document } && before.CTag == item.CTag && before.Sha256 is { } sha && before.MediaType == mediaType
                ? new RawRef(sha, before.RawLength, WriteOutcome.AlreadyExists)
                : null;
            DocumentMetadata? frontMatter = null;
            if (metadata is null && raw is not null && before!.FrontMatter is { } keptFrontMatter)
            {
                // Same content as last time: its front matter has not changed either.
                metadata = frontMatter = keptFrontMatter;
            }

            if (metadata is null)
            {
                if (!DocumentSelection.IsMarkdown(path) || (item.Size ?? 0) > ContentDownload.MaxBufferedBytes)
                {
                    SharePointLog.NotADocument(logger, subject.Id);
                    state.Files[itemId] = new KeptFile(itemId, item.ETag, item.CTag, KeptFile.Skipped, null, item.ParentReference?.Id, item.Name);
                    return;
                }

                // A Markdown document may carry its metadata as front matter, as in a folder.
                var bytes = await _content.ToMemoryAsync(item, cancellationToken).ConfigureAwait(false);
                metadata = frontMatter = await FrontMatter.ReadAsync(new MemoryStream(bytes, writable: false), cancellationToken).ConfigureAwait(false);
                if (metadata is null)
                {
                    SharePointLog.NotADocument(logger, subject.Id);
                    state.Files[itemId] = new KeptFile(itemId, item.ETag, item.CTag, KeptFile.Skipped, null, item.ParentReference?.Id, item.Name);
                    return;
                }

                raw = await sink.PutRawAsync(bytes, mediaType, cancellationToken).ConfigureAwait(false);
            }

            documentType = metadata.DocumentType;
            raw ??= await _content.StoreAsync(item, mediaType, cancellationToken).ConfigureAwait(false);
            var facts = await FactsAsync(item, path, fields, unresolved, readMode, metadata.DocumentType, cancellationToken).ConfigureAwait(false);
            metadata = ContentApproval.Apply(metadata, facts);
            var draft = DocumentEvidence.Draft(metadata, subject.Id, locator, item.Size ?? raw.Length, raw, mediaType, facts);
            await sink.EmitAsync(draft, cancellationToken).ConfigureAwait(false);
            _documents++;
            state.Files[itemId] = new KeptFile(itemId, item.ETag, item.CTag, KeptFile.Document, KeptFile.Keep(draft, frontMatter), item.ParentReference?.Id, item.Name);
        }
        catch (Exception ex) when (ex is GraphCallException or DocumentMetadataException or IOException)
        {
            var message = ex switch
            {
                GraphCallException { Status: 401 } => $"{ex.Message} The app needs the Microsoft Graph application permission Sites.Selected (admin consent) and a read grant on the site.",
                DocumentMetadataException => $"malformed metadata: {ex.Message}",
                _ => ex.Message,
            };
            SharePointLog.DocumentFailed(logger, subject.Id, message);
            documentType ??= (ex as DocumentMetadataException)?.DocumentType;
            var partial = documentType is null ? null : new JsonObject { ["documentType"] = documentType, ["path"] = subject.Id };
            await sink.ReportErrorAsync(subject, EvidenceKinds.Document, locator, message, partial, cancellationToken).ConfigureAwait(false);
            state.Files[itemId] = new KeptFile(itemId, null, null, KeptFile.Failed, null, parentId, name);
        }
    }

    private async Task<JsonObject> FactsAsync(DriveItem item, string path, JsonObject fields, List<string> unresolved, string readMode, string type, CancellationToken cancellationToken)
    {
        var facts = Facts.Object(
            ("source", "sharepoint"),
            ("webUrl", item.WebUrl),
            ("site", library.Site),
            ("library", library.Library),
            ("libraryPath", path),
            ("fileName", item.Name),
            ("driveId", _driveId),
            ("itemId", item.Id),
            ("quickXorHash", item.File?.Hashes?.QuickXorHash),
            ("createdAt", Facts.Time(item.CreatedDateTime)),
            ("createdBy", item.CreatedBy?.User?.DisplayName),
            ("modifiedAt", Facts.Time(item.LastModifiedDateTime)),
            ("modifiedBy", item.LastModifiedBy?.User?.DisplayName),
            ("approvalStatus", ColumnMap.ApprovalStatus(fields)),
            ("unresolvedColumns", Facts.Set(unresolved)),
            ("readMode", readMode));
        if (settings.VersionHistoryFor.Contains(type, StringComparer.OrdinalIgnoreCase) && item.ListItem?.Id is { } listItemId)
        {
            facts["versions"] = await VersionsAsync(listItemId, cancellationToken).ConfigureAwait(false);
        }

        return facts;
    }

    /// <summary>The list item's versions, newest first: who changed (or approved) which version when.</summary>
    private async Task<JsonArray> VersionsAsync(string listItemId, CancellationToken cancellationToken)
    {
        _listId ??= (await GraphFailure.CallAsync(
            SharePointOperations.DriveList,
            () => client.Drives[_driveId].List.GetAsync(rc => rc.QueryParameters.Select = ["id"], cancellationToken),
            cancellationToken).ConfigureAwait(false))?.Id ?? throw NotFound(SharePointOperations.DriveList, "list");
        var versions = await GraphPager.ListAsync<ListItemVersion, ListItemVersionCollectionResponse>(
            client,
            SharePointOperations.Versions,
            () => client.Sites[_siteId].Lists[_listId].Items[listItemId].Versions.GetAsync(rc => rc.QueryParameters.Expand = ["fields"], cancellationToken),
            cancellationToken).ConfigureAwait(false);
        var result = new JsonArray();
        foreach (var version in versions.OrderByDescending(v => v.LastModifiedDateTime).Take(MaxVersions))
        {
            var fields = await GraphJson.ToNodeAsync(version.Fields, cancellationToken).ConfigureAwait(false) as JsonObject ?? [];
            result.Add(Facts.Object(
                ("version", version.Id),
                ("modifiedAt", Facts.Time(version.LastModifiedDateTime)),
                ("modifiedBy", version.LastModifiedBy?.User?.DisplayName),
                ("approvalStatus", ColumnMap.ApprovalStatus(fields))));
        }

        return result;
    }

    /// <summary>One entry of the drive's delta feed.</summary>
    private sealed record DeltaEntry(string Id, bool IsFile, bool IsFolder, bool IsRoot, bool Deleted, string? ETag, string? CTag, string? Name, string? ParentId);
}
