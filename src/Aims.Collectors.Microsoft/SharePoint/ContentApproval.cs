using System.Globalization;
using System.Text.Json.Nodes;
using Aims.Collectors.Documents;

namespace Aims.Collectors.Microsoft.SharePoint;

/// <summary>What SharePoint's content approval means for a document's approval facts.</summary>
internal static class ContentApproval
{
    /// <summary>
    /// With content approval on, only an approved current version counts as approved: a pending, draft or rejected
    /// version keeps its approval columns as facts but not as the approval, so the same gap shows as for an unapproved
    /// document in a folder. An approved version with empty approval columns takes its approval from version history.
    /// </summary>
    public static DocumentMetadata Apply(DocumentMetadata metadata, JsonObject facts)
    {
        var status = (string?)facts["approvalStatus"];
        if (status is null)
        {
            return metadata;
        }

        if (status != "approved")
        {
            facts["columnApprovedBy"] = metadata.ApprovedBy;
            facts["columnApprovedOn"] = metadata.ApprovedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            return metadata with { ApprovedBy = null, ApprovedOn = null };
        }

        if (metadata.ApprovedBy is null && facts["versions"] is JsonArray versions
            && versions.OfType<JsonObject>().FirstOrDefault(v => (string?)v["approvalStatus"] == "approved") is { } approved
            && DateTimeOffset.TryParse((string?)approved["modifiedAt"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var on))
        {
            facts["approvalFrom"] = $"version {approved["version"]} in version history";
            return metadata with { ApprovedBy = (string?)approved["modifiedBy"], ApprovedOn = metadata.ApprovedOn ?? on.ToUniversalTime() };
        }

        return metadata;
    }
}
