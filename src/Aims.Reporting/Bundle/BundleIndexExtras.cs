namespace Aims.Reporting.Bundle;

/// <summary>A file of the bundle linked from the top of index.html (e.g. the Statement of Applicability, OSCAL results).</summary>
/// <param name="Path">The file's path inside the bundle (relative link).</param>
/// <param name="Text">The link text, e.g. <c>soa.html</c>.</param>
/// <param name="Description">What the file is, one short phrase.</param>
public sealed record BundleIndexLink(string Path, string Text, string Description);

/// <summary>
/// What index.html shows beyond the evidence: files linked from the top, and how the bundle is signed. Filled by
/// whoever adds those files and the signature; <see cref="None"/> leaves them out.
/// </summary>
/// <param name="TopLinks">Listed first among the bundle's files, in this order.</param>
/// <param name="SignatureStatus">One sentence on the signature; null means the bundle is not signed.</param>
public sealed record BundleIndexExtras(IReadOnlyList<BundleIndexLink> TopLinks, string? SignatureStatus)
{
    public static BundleIndexExtras None { get; } = new([], null);
}
