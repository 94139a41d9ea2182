using Aims.Collectors.Microsoft.Entra;
using Aims.Evidence.Collection;
using Aims.Evidence.Store;
using Microsoft.Graph;
using Microsoft.Graph.Models;

namespace Aims.Collectors.Microsoft.SharePoint;

/// <summary>
/// Downloads a document's content (Graph answers <c>/content</c> with a redirect to a short-lived download URL; the SDK
/// follows it without the token) and stores it as the raw payload, never past <see cref="SharePointSettings.MaxDocumentBytes"/>.
/// </summary>
internal sealed class ContentDownload(GraphServiceClient client, SharePointSettings settings, string driveId, IEvidenceSink sink)
{
    /// <summary>Text up to this size is read whole and redacted in one piece, as folder documents are; larger content is streamed.</summary>
    public const long MaxBufferedBytes = 8 * 1024 * 1024;

    /// <summary>Downloads started (a re-run of an unchanged library starts none).</summary>
    public int Downloaded { get; private set; }

    private void CheckSize(DriveItem item)
    {
        if (item.Size is { } size && size > settings.MaxDocumentBytes)
        {
            throw new DocumentTooLargeException(
                $"'{item.Name}' is {size} bytes, over the {settings.MaxDocumentBytes / (1024 * 1024)} MB limit ({settings.Path}:MaxDocumentMegabytes); it was not downloaded");
        }
    }

    private async Task<Stream> OpenContentAsync(DriveItem item, CancellationToken cancellationToken)
    {
        CheckSize(item);
        var content = await GraphFailure.CallAsync(
            SharePointOperations.Content,
            () => client.Drives[driveId].Items[item.Id].Content.GetAsync(cancellationToken: cancellationToken),
            cancellationToken).ConfigureAwait(false) ?? throw new IOException($"{SharePointOperations.Content} returned no content for '{item.Name}'.");
        Downloaded++;
        return new CappedStream(content, settings.MaxDocumentBytes, $"'{item.Name}' ({settings.Path}:MaxDocumentMegabytes)");
    }

    public async Task<byte[]> ToMemoryAsync(DriveItem item, CancellationToken cancellationToken)
    {
        await using var content = await OpenContentAsync(item, cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        await CopyAsync(content, buffer, item, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    /// <summary>Stores the content as the raw payload: text is redacted on the way (as for folder documents), binaries streamed as they are.</summary>
    public async Task<RawRef> StoreAsync(DriveItem item, string mediaType, CancellationToken cancellationToken)
    {
        if (mediaType.StartsWith("text/", StringComparison.Ordinal) && (item.Size ?? long.MaxValue) <= MaxBufferedBytes)
        {
            return await sink.PutRawAsync(await ToMemoryAsync(item, cancellationToken).ConfigureAwait(false), mediaType, cancellationToken).ConfigureAwait(false);
        }

        await using var content = await OpenContentAsync(item, cancellationToken).ConfigureAwait(false);
        try
        {
            return await sink.PutRawStreamAsync(content, mediaType, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new IOException($"the download of '{item.Name}' broke off: {ex.Message}", ex);
        }
    }

    private static async Task CopyAsync(Stream content, Stream buffer, DriveItem item, CancellationToken cancellationToken)
    {
        try
        {
            await content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new IOException($"the download of '{item.Name}' broke off: {ex.Message}", ex);
        }
    }
}
