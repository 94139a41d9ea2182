using System.Globalization;
using System.Xml;
using Azure;

namespace Aims.Storage.Azure.Blobs;

/// <summary>Reads one List Blobs page (<c>EnumerationResults</c>) forward-only from the response stream.</summary>
internal static class BlobListXml
{
    public static async Task<(List<BlobItem> Items, string? NextMarker)> ParseAsync(Stream body, CancellationToken cancellationToken)
    {
        var items = new List<BlobItem>();
        string? next = null;
        try
        {
            using var reader = await XmlElementReader.OpenAsync(body, "EnumerationResults").ConfigureAwait(false);
            await XmlElementReader.ReadChildrenAsync(reader, async child =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                switch (child.LocalName)
                {
                    case "Blobs":
                        await XmlElementReader.ReadChildrenAsync(child, async entry =>
                        {
                            if (entry.LocalName == "Blob")
                            {
                                items.Add(await ReadBlobAsync(entry).ConfigureAwait(false));
                            }
                            else
                            {
                                await entry.SkipAsync().ConfigureAwait(false);
                            }
                        }).ConfigureAwait(false);
                        break;
                    case "NextMarker":
                        var marker = await XmlElementReader.ReadTextAsync(child).ConfigureAwait(false);
                        next = string.IsNullOrEmpty(marker) ? null : marker;
                        break;
                    default:
                        await child.SkipAsync().ConfigureAwait(false);
                        break;
                }
            }).ConfigureAwait(false);
        }
        catch (XmlException ex)
        {
            throw new FormatException($"A List Blobs response is not well-formed XML: {ex.Message}", ex);
        }

        return (items, next);
    }

    private static async Task<BlobItem> ReadBlobAsync(XmlReader reader)
    {
        string? name = null;
        long? length = null;
        ETag? etag = null;
        DateTimeOffset? lastModified = null;
        string? blobType = null;
        string? contentType = null;
        Dictionary<string, string>? metadata = null;
        await XmlElementReader.ReadChildrenAsync(reader, async child =>
        {
            switch (child.LocalName)
            {
                case "Name":
                    // Names with characters XML cannot carry come percent-encoded, flagged Encoded="true".
                    var encoded = child.GetAttribute("Encoded") == "true";
                    var text = await XmlElementReader.ReadTextAsync(child).ConfigureAwait(false);
                    name = encoded ? Uri.UnescapeDataString(text) : text;
                    break;
                case "Properties":
                    await XmlElementReader.ReadChildrenAsync(child, async p =>
                    {
                        var key = p.LocalName;
                        var value = await XmlElementReader.ReadTextAsync(p).ConfigureAwait(false);
                        switch (key)
                        {
                            case "Content-Length":
                                length = long.Parse(value, CultureInfo.InvariantCulture);
                                break;
                            case "Etag":
                                etag = new ETag(value);
                                break;
                            case "Last-Modified":
                                lastModified = DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                                break;
                            case "BlobType":
                                blobType = value;
                                break;
                            case "Content-Type":
                                contentType = value.Length == 0 ? null : value;
                                break;
                        }
                    }).ConfigureAwait(false);
                    break;
                case "Metadata":
                    metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    await XmlElementReader.ReadChildrenAsync(child, async m =>
                    {
                        var key = m.LocalName;
                        metadata[key] = await XmlElementReader.ReadTextAsync(m).ConfigureAwait(false);
                    }).ConfigureAwait(false);
                    break;
                default:
                    await child.SkipAsync().ConfigureAwait(false);
                    break;
            }
        }).ConfigureAwait(false);

        if (name is null)
        {
            throw new FormatException("A <Blob> in a List Blobs response has no <Name>.");
        }

        return new BlobItem(name, new BlobItemProperties(length, etag, lastModified, blobType, contentType), metadata ?? new Dictionary<string, string>());
    }
}
