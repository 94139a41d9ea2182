using System.Text.Json.Nodes;
using Aims.Evidence;
using Aims.Evidence.Collection;
using Aims.Evidence.Items;
using Aims.Evidence.Store;

namespace Aims.Collectors.Documents;

/// <summary>
/// The one shape of a <c>document</c> item, whatever the place it was read from (folder, blob container, SharePoint):
/// the same subject type, facts and evidence date, so the same requirements and checks judge them alike.
/// </summary>
public static class DocumentEvidence
{
    /// <param name="path">The document's path as its source names it: the subject id, the footprint matches it.</param>
    /// <param name="locator">Where the document was read (a relative path, a web URL).</param>
    /// <param name="extraFacts">Facts only this source knows (web URL, modified by, approval status); they never replace the shared ones.</param>
    public static EvidenceDraft Draft(DocumentMetadata metadata, string path, string locator, long sizeBytes, RawRef raw, string mediaType, JsonObject? extraFacts = null)
    {
        var title = metadata.Title.Length > 0 ? metadata.Title : Path.GetFileName(path);
        var facts = metadata.ToFacts(path, sizeBytes);
        facts["sha256"] = raw.Sha256;
        foreach (var (key, value) in extraFacts ?? [])
        {
            if (!facts.ContainsKey(key))
            {
                facts[key] = value?.DeepClone();
            }
        }

        return new EvidenceDraft
        {
            Kind = EvidenceKinds.Document,
            Subject = new Subject("document", path, title, metadata.AiSystems),
            Locator = locator,
            Summary = $"{metadata.DocumentType} '{title}'" + (metadata.ApprovedOn is { } on ? $", approved {on:yyyy-MM-dd}" + (metadata.ApprovedBy is { } by ? $" by {by}" : "") : ", no approval recorded"),
            Facts = facts,
            Controls = metadata.Controls,
            EvidenceDate = metadata.ApprovedOn,
            Raw = raw,
            RawMediaType = mediaType,
        };
    }
}
