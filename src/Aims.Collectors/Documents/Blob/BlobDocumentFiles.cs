using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Aims.Collectors.Documents.Blob;

/// <summary>
/// Documents in a blob container, under an optional prefix that plays the part of the documents folder: a blob
/// <c>{prefix}policies/ai-policy.md</c> is the document <c>policies/ai-policy.md</c>, exactly as in a folder.
/// </summary>
public sealed class BlobDocumentFiles(BlobContainerClient container, string? prefix = null) : IDocumentFiles
{
    private readonly string _prefix = NormalizePrefix(prefix);

    public string Description => $"{container.Uri.GetLeftPart(UriPartial.Path)}{(_prefix.Length > 0 ? "/" + _prefix.TrimEnd('/') : "")}";

    /// <summary>A prefix as a folder: no leading '/', one trailing '/', no empty or dot segments; empty for the whole container.</summary>
    public static string NormalizePrefix(string? prefix)
    {
        var trimmed = (prefix ?? "").Trim().Trim('/');
        if (trimmed.Length == 0)
        {
            return "";
        }

        if (trimmed.Split('/').Any(s => s is "" or "." or ".."))
        {
            throw new ArgumentException($"'{prefix}' is not a folder path inside the container.", nameof(prefix));
        }

        return trimmed + "/";
    }

    public async IAsyncEnumerable<string> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var pages = container.GetBlobsAsync(traits: BlobTraits.None, states: BlobStates.None, prefix: _prefix.Length > 0 ? _prefix : null, cancellationToken: cancellationToken);
        await using var blobs = pages.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            BlobItem blob;
            try
            {
                if (!await blobs.MoveNextAsync().ConfigureAwait(false))
                {
                    yield break;
                }

                blob = blobs.Current;
            }
            catch (RequestFailedException ex)
            {
                throw new DocumentFilesException(Failure(ex, "listed"), ex);
            }

            var relative = blob.Name[_prefix.Length..];
            if (relative.Length > 0 && !relative.EndsWith('/') && !DocumentSelection.IsHidden(relative) && IsPlain(relative))
            {
                yield return relative;
            }
        }
    }

    public async Task<DocumentFile?> OpenAsync(string relativePath, CancellationToken cancellationToken = default)
    {
        if (!IsPlain(relativePath) || relativePath.StartsWith('/'))
        {
            throw new ArgumentException($"'{relativePath}' is not a relative path inside the documents container.");
        }

        try
        {
            var response = await container.GetBlobClient(_prefix + relativePath).DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return new DocumentFile(response.Value.Content, response.Value.Details.ContentLength);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
        catch (RequestFailedException ex)
        {
            throw new IOException(Failure(ex, $"read ('{relativePath}')"), ex);
        }
    }

    /// <summary>No empty, '.' or '..' segments and no backslashes: a blob name that is also a safe relative path.</summary>
    private static bool IsPlain(string relative) =>
        !relative.Contains('\\', StringComparison.Ordinal) && relative.Split('/').All(s => s is not ("" or "." or ".."));

    private string Failure(RequestFailedException ex, string what) => ex.Status switch
    {
        404 => $"the documents container '{Description}' does not exist ({ex.ErrorCode})",
        401 or 403 => $"the documents container '{Description}' could not be {what}: access refused ({ex.Status} {ex.ErrorCode}); grant the app's identity 'Storage Blob Data Reader' on the container",
        _ => $"the documents container '{Description}' could not be {what}: {ex.Status} {ex.ErrorCode}",
    };
}
