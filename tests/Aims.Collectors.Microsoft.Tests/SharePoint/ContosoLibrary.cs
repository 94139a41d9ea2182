using System.Text.Json.Nodes;

namespace Aims.Collectors.Microsoft.Tests.SharePoint;

/// <summary>The Contoso governance library the SharePoint tests start from.</summary>
public static class ContosoLibrary
{
    public const string Policy = "01POLICY";
    public const string Impact = "01IMPACT";
    public const string Notes = "01NOTES";
    public const string Roles = "01ROLES";

    /// <summary>The bytes of the policy (a stand-in for a .docx: binary, stored as it is).</summary>
    public static readonly byte[] PolicyBytes = [0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0xff, 0xfe, 0x00, 0x01];

    public const string ImpactMarkdown = """
        ---
        type: impact-assessment
        title: Fraud scoring impact assessment
        approved-by: Model Risk Committee
        approved-on: 2026-05-02
        review-due: 2027-05-02
        ---
        # Impact assessment
        Contact the model owner; API key for the sandbox: ghp_0123456789abcdefghijABCDEFGHIJ0123456789
        """;

    public static FakeSharePoint Seed(this FakeSharePoint site)
    {
        var policy = site.Add(Policy, "Policies", "AI Policy.docx", PolicyBytes, new JsonObject
        {
            ["Title"] = "Contoso AI Policy",
            ["DocumentType"] = "ai-policy",
            ["DocumentOwner"] = "AI Governance Lead",
            ["ApprovedBy"] = "Dana Whitfield",
            ["ApprovalDate"] = "2026-03-10T00:00:00Z",
            ["ReviewDue"] = "2027-03-10T00:00:00Z",
            ["Controls"] = new JsonArray("A.2.2", "a.2.3"),
            ["AiSystems"] = "fraud-scoring",
            ["_ModerationStatus"] = 0,
            ["_UIVersionString"] = "3.0",
        });
        policy.Versions =
        [
            FakeSharePoint.Version("3.0", "2026-03-10T16:05:00Z", "Dana Whitfield", 0),
            FakeSharePoint.Version("2.0", "2026-02-20T11:00:00Z", "Adele Vance", 2),
            FakeSharePoint.Version("1.0", "2025-03-01T08:00:00Z", "Dana Whitfield", 0),
        ];
        site.Add(Impact, "Assessments", "Fraud impact assessment.md", ImpactMarkdown);
        site.Add(Notes, "Drafts", "notes.txt", "meeting notes, not a governed document");
        site.Add(Roles, "Policies", "Roles.pdf", "%PDF-1.7 roles", new JsonObject
        {
            ["Title"] = "AI roles and responsibilities",
            ["DocumentType"] = "roles-responsibilities",
            ["ApprovedBy"] = "Dana Whitfield",
            ["ApprovalDate"] = "2026-01-15T00:00:00Z",
            ["_ModerationStatus"] = 2,
        });
        return site;
    }
}
