using Aims.Evidence.Gaps;
using Aims.Reporting.Digest;
using Aims.Storage;

namespace Aims.Cli;

/// <summary>
/// Writes the digest files of <c>aims digest</c> and <c>aims run</c>: advances the digest history kept in the store
/// (so the digest shows what changed since the previous one), then writes all three formats.
/// </summary>
internal static class DigestOutput
{
    public static async Task WriteAsync(CliIO io, CliSession session, GapReport report, string folder, string? publishAs, CancellationToken cancellationToken)
    {
        // The history records when the digest was really made, whatever --as-of says.
        var view = await DigestHistory.AdvanceAsync(session.Store, report, TimeProvider.System.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        view = view with { EvidenceLink = EvidenceLinkFor(session, folder) };
        if (publishAs is not null)
        {
            await DigestWriter.PublishAsync(view with { EvidenceLink = _ => null }, session.Store, publishAs, cancellationToken).ConfigureAwait(false);
        }

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
