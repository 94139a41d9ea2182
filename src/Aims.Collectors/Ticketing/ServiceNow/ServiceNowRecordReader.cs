using System.Text.Json.Nodes;

namespace Aims.Collectors.Ticketing.ServiceNow;

/// <summary>
/// Normalizes Table API records (display values off, reference links excluded: every value is a string, references are
/// sys_ids, times are UTC) into <see cref="Ticket"/>s, and <c>sysapproval_approver</c> records into approvals.
/// </summary>
internal sealed class ServiceNowRecordReader(ServiceNowSettings settings)
{
    public const string ApprovalTable = "sysapproval_approver";

    /// <summary>The approval fields asked for; dot-walks give the approver's name without another request.</summary>
    public const string ApprovalFields = "sys_id,sysapproval,approver,approver.name,approver.user_name,state,sys_updated_on";

    // The out-of-box state models. Tables extending task without a model of their own use task's.
    private static readonly Dictionary<string, string> IncidentStates = new(StringComparer.Ordinal)
    {
        ["1"] = "New", ["2"] = "In Progress", ["3"] = "On Hold", ["6"] = "Resolved", ["7"] = "Closed", ["8"] = "Canceled",
    };

    private static readonly Dictionary<string, string> ChangeStates = new(StringComparer.Ordinal)
    {
        ["-5"] = "New", ["-4"] = "Assess", ["-3"] = "Authorize", ["-2"] = "Scheduled", ["-1"] = "Implement", ["0"] = "Review", ["3"] = "Closed", ["4"] = "Canceled",
    };

    private static readonly Dictionary<string, string> TaskStates = new(StringComparer.Ordinal)
    {
        ["-5"] = "Pending", ["1"] = "Open", ["2"] = "Work in Progress", ["3"] = "Closed Complete", ["4"] = "Closed Incomplete", ["7"] = "Closed Skipped",
    };

    private static readonly string[] CanceledLabels = ["Canceled", "Closed Incomplete", "Closed Skipped"];

    /// <summary>The <c>sysparm_fields</c> of a ticket table: only what evidence needs (no descriptions, no work notes).</summary>
    public string Fields { get; } = string.Join(',', new[]
    {
        "sys_id", "number", "short_description", "state", "active", "approval", "priority", "sys_created_on", "sys_updated_on",
        "opened_at", "resolved_at", "closed_at", "resolved_by.name", "closed_by.name", "opened_by", "requested_by", "assignment_group.name",
        settings.DetectedField, settings.DueField, settings.NotifiedField,
    }.OfType<string>().Distinct(StringComparer.Ordinal));

    /// <summary>Reads one record. Throws <see cref="FormatException"/> when it lacks a sys_id or a creation time.</summary>
    public Ticket Read(string table, JsonObject record)
    {
        var sysId = TicketJson.String(record, "sys_id") ?? throw new FormatException($"a {table} record has no 'sys_id'.");
        var key = TicketJson.String(record, "number") ?? sysId;
        var created = TicketJson.Date(record, "sys_created_on") ?? TicketJson.Date(record, "opened_at")
            ?? throw new FormatException($"{table} record {key} has no 'sys_created_on'.");
        var state = TicketJson.Text(record, "state");
        var label = state is null ? null : StatesOf(table).GetValueOrDefault(state, state);
        var resolvedAt = TicketJson.Date(record, "resolved_at") ?? TicketJson.Date(record, "closed_at");
        var open = TicketJson.Text(record, "active") is { } active ? active == "true" : resolvedAt is null;
        var group = TicketJson.String(record, "assignment_group.name");
        return new Ticket
        {
            Key = key,
            Url = new Uri(settings.BaseUrl, $"{table}.do?sys_id={Uri.EscapeDataString(sysId)}").AbsoluteUri,
            Title = TicketJson.Title(TicketJson.String(record, "short_description")),
            Project = settings.GroupBy == ServiceNowGrouping.AssignmentGroup && group is not null ? group : table,
            Status = label,
            Priority = TicketJson.Text(record, "priority"),
            Open = open,
            Canceled = !open && label is not null && CanceledLabels.Contains(label, StringComparer.Ordinal),
            CreatedAt = created,
            UpdatedAt = TicketJson.Date(record, "sys_updated_on"),
            ResolvedAt = open ? null : resolvedAt,
            ResolvedBy = open ? null : TicketJson.String(record, "resolved_by.name") ?? TicketJson.String(record, "closed_by.name"),
            DetectedAt = TicketJson.Date(record, settings.DetectedField) ?? created,
            NotifiedAt = settings.NotifiedField is { } nf ? TicketJson.Date(record, nf) : null,
            DueAt = TicketJson.Date(record, settings.DueField),
            RequesterId = TicketJson.String(record, "requested_by") ?? TicketJson.String(record, "opened_by"),
        };
    }

    /// <summary>The sys_id of a record (approvals are joined to tickets by it).</summary>
    public static string? SysId(JsonObject record) => TicketJson.String(record, "sys_id");

    /// <summary>Reads an approval record into (the ticket's sys_id, the approval); null when it names no ticket.</summary>
    public static (string Ticket, TicketApproval Approval)? ReadApproval(JsonObject record)
    {
        if (TicketJson.String(record, "sysapproval") is not { } ticket)
        {
            return null;
        }

        var approverId = TicketJson.String(record, "approver");
        var name = TicketJson.String(record, "approver.name") ?? TicketJson.String(record, "approver.user_name") ?? approverId ?? "unknown";
        var state = TicketJson.String(record, "state") switch
        {
            "approved" => TicketApproval.Approved,
            "rejected" => TicketApproval.Rejected,
            "requested" => TicketApproval.Requested,
            var other => other ?? "unknown",
        };
        return (ticket, new TicketApproval(name, state, TicketJson.Date(record, "sys_updated_on"), approverId));
    }

    private static Dictionary<string, string> StatesOf(string table) => table switch
    {
        "incident" => IncidentStates,
        "change_request" => ChangeStates,
        _ => TaskStates,
    };
}
