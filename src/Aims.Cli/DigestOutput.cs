using Aims.Evidence.Gaps;
using Aims.Reporting.Digest;
using Aims.Storage;

namespace Aims.Cli;

/// <summary>
/// Writes the digest files of <c>aims digest</c> and <c>aims run</c>: advances the digest history kept in the store
/// (so the digest shows what changed since the previous one) and, for <c>aims run</c>, stores the digest where the
/// Functions app stores it (the shared <see cref="Aims.Pipeline.Hosting.DigestArchive"/>), then writes all three formats.
/// </summary>
internal static class DigestOutput
{
    public static async Task WriteAsync(CliIO io, CliSession session, GapReport report, string folder, bool publish, CancellationToken cancellationToken)
    {
        var view = publish
            ? await session.Digests.PublishAsync(report, cancellationToken).ConfigureAwait(false)
            : await session.Digests.AdvanceAsync(report, cancellationToken).ConfigureAwait(false);
        view = view with { EvidenceLink = EvidenceLinkFor(session, folder) };

        foreach (var path in await DigestWriter.WriteFilesAsync(view, folder, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            await io.Errors.WriteLineAsync($"Wrote {path}").ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Item ids link to the item files: relative to the digest for a folder store (so both can move together), the
    /// blob URL for a container reached over https (readable by people with Storage Blob Data Reader); else no link.
    /// </summary>
    private static Func<string, string?> EvidenceLinkFor(CliSession session, string folder)
    {
        string root;
        if (session.Store is FolderEvidenceStore store)
        {
            root = Path.GetRelativePath(Path.GetFullPath(folder), store.Root).Replace(Path.DirectorySeparatorChar, '/');
        }
        else if (Uri.TryCreate(session.Store.Description.TrimEnd('/'), UriKind.Absolute, out var container) && container.Scheme == Uri.UriSchemeHttps && container.Query.Length == 0)
        {
            root = container.AbsoluteUri.TrimEnd('/');
        }
        else
        {
            return _ => null;
        }

        return id => Aims.Evidence.Items.ItemIds.IsWellFormed(id) ? $"{root}/{StoreLayout.ItemPath(id)}" : null;
    }
}
