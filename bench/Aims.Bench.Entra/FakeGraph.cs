using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Aims.Bench.Entra;

/// <summary>
/// The Graph v1.0 endpoints the Entra collector calls, served from <see cref="BenchTenant"/>. Page sizes follow Graph:
/// directory listings (members, owners, service principals, permission grants, audit entries) honour <c>$top</c> up
/// to 999; listings that take no <c>$top</c> here return Graph's server-side page of 100; access review decisions
/// return the <c>$top</c> of 100 the collector asks for. Group delta keeps a change log: a delta token is a position
/// in it, and a round returns each filtered group's net member and owner changes since then.
/// </summary>
internal sealed partial class FakeGraph(BenchTenant tenant)
{
    private const int ServerPage = 100;
    private const int MaxTop = 999;
    private const int DeltaPageSize = 100;

    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);
    private readonly List<(long Sequence, int Group, string Relation, int User, bool Removed)> _changes = [];
    private long _sequence;

    /// <summary>Requests per endpoint (method and path template) since the last <see cref="TakeCounts"/>.</summary>
    public Dictionary<string, int> TakeCounts()
    {
        var counts = _requests.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        _requests.Clear();
        return counts;
    }

    public int Total => _requests.Values.Sum();

    /// <summary>Moves a user from one AI group to another: one leaver and one joiner in the delta log.</summary>
    public void MoveUser(int user, int from, int to)
    {
        lock (_changes)
        {
            tenant.RemoveMember(from, user);
            _changes.Add((++_sequence, from, "members", user, true));
            tenant.AddMember(to, user);
            _changes.Add((++_sequence, to, "members", user, false));
        }
    }

    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var template = Template(path);
        _requests.AddOrUpdate($"{context.Request.Method} {template}{(template == "/groups/delta" ? DeltaKind(context) : "")}", 1, (_, n) => n + 1);
        var body = await RouteAsync(context, path["/v1.0".Length..]);
        context.Response.ContentType = "application/json";
        if (body is null)
        {
            context.Response.StatusCode = 404;
            body = """{"error":{"code":"Request_ResourceNotFound","message":"The fake tenant has no such object."}}""";
        }

        await context.Response.WriteAsync(body);
    }

    private async Task<string?> RouteAsync(HttpContext context, string path)
    {
        var q = context.Request.Query;
        var root = $"https://{context.Request.Host}/v1.0";
        var top = int.TryParse(q["$top"], out var t) ? Math.Min(t, MaxTop) : ServerPage;
        var skip = int.TryParse(q["$skiptoken"], out var s) ? s : 0;
        var segments = path.Trim('/').Split('/');
        switch (segments)
        {
            case ["groups", "delta"]:
                return Delta(context, root);
            case ["groups", var id] when BenchTenant.Parse(id) is ("2222", var g):
                return Write(w => Group(w, g));
            case ["groups", var id, var relation] when BenchTenant.Parse(id) is ("2222", var g):
                var list = relation == "members" ? tenant.Members(g) : tenant.Owners(g);
                return Page(root + path, list, top, skip, (w, u) => User(w, u));
            case ["directoryObjects", "getByIds"]:
                var ids = JsonDocument.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync()).RootElement.GetProperty("ids").EnumerateArray().Select(e => e.GetString()!).ToList();
                return ids.Count > 1000 ? null : Write(w => Collection(w, null, ids.Select(BenchTenant.Parse).Where(p => p is ("1111", _)), (w2, p) => User(w2, p!.Value.Index)));
            case ["roleManagement", "directory", "roleDefinitions"]:
                return Write(w => Collection(w, null, Enumerable.Range(0, ServerPage), RoleDefinition));
            case ["roleManagement", "directory", var kind]:
                var role = Quoted(q["$filter"].ToString()) ?? "";
                var count = kind == "roleAssignments" ? 6 : 3;
                return Write(w => Collection(w, null, Enumerable.Range(0, count), (w2, i) => RoleAssignment(w2, role, i, kind == "roleAssignments")));
            case ["servicePrincipals"]:
                var tagged = q["$filter"].ToString().Contains("tags/any", StringComparison.Ordinal);
                var sps = Enumerable.Range(0, tenant.Options.ServicePrincipals).Where(sp => !tagged || tenant.IsTagged(sp)).ToList();
                return Page(root + path, sps, top, skip, ServicePrincipal);
            case [var single] when AppIdPattern().Match(single) is { Success: true } m:
                var index = BenchTenant.Parse(m.Groups[2].Value)?.Index ?? -1;
                if (index < 0 || index >= tenant.Options.ServicePrincipals)
                {
                    return null;
                }

                return m.Groups[1].Value == "servicePrincipals"
                    ? Write(w => ServicePrincipal(w, index))
                    : tenant.SpOwner(index) == "own" ? Write(w => Application(w, index)) : null;
            case ["servicePrincipals" or "applications", var id, "owners"] when BenchTenant.Parse(id) is (_, var sp):
                return Write(w => Collection(w, null, tenant.SpOwner(sp) == "own" ? [sp % tenant.Options.Users, (sp * 3) % tenant.Options.Users] : Array.Empty<int>(), (w2, u) => User(w2, u)));
            case ["oauth2PermissionGrants"]:
                return Page(root + path, tenant.Grants().ToList(), top, skip, Grant);
            case ["identityGovernance", "accessReviews", "definitions"]:
                return Page(root + path, Enumerable.Range(0, 100 + tenant.Options.ReviewedGroups).ToList(), ServerPage, skip, ReviewDefinition);
            case ["identityGovernance", "accessReviews", "definitions", var id, "instances"] when BenchTenant.Parse(id) is (_, var d):
                return Write(w => Collection(w, null, Enumerable.Range(0, 4), (w2, i) => ReviewInstance(w2, d, i)));
            case ["identityGovernance", "accessReviews", "definitions", var id, "instances", _, "decisions"] when BenchTenant.Parse(id) is (_, var d):
                var reviewed = d < tenant.Options.ReviewedGroups ? tenant.Members(d) : [];
                return Page(root + path, reviewed, Math.Min(top, 100), skip, (w, u) => Decision(w, d, u));
            case ["identity", "conditionalAccess", "policies"]:
                return Write(w => Collection(w, null, Enumerable.Range(0, 40), Policy));
            case ["auditLogs", "directoryAudits"]:
                var auditFilter = q["$filter"].ToString();
                var target = Quoted(auditFilter[auditFilter.IndexOf("t/id", StringComparison.Ordinal)..]) ?? "";
                var since = DateTime.Parse(auditFilter["activityDateTime ge ".Length..auditFilter.IndexOf(" and", StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);
                return Page(root + path, Enumerable.Range(0, 5).Where(i => AuditTime(i) >= since).ToList(), top, skip, (w, i) => Audit(w, target, i));
            default:
                return null;
        }
    }

    private static string DeltaKind(HttpContext context) =>
        context.Request.Query["$deltatoken"] == "latest" ? " (anchor)" : " (round)";

    private string Delta(HttpContext context, string root)
    {
        var q = context.Request.Query;
        if (q["$deltatoken"] == "latest")
        {
            var groups = IdList().Matches(q["$filter"].ToString()).Select(m => m.Groups[1].Value).ToList();
            return Write(w => DeltaPage(w, [], null, $"{root}/groups/delta?$deltatoken={Token(_sequence, 0, 0, groups)}"));
        }

        var (after, until, offset, ids) = ParseToken(q["$deltatoken"].Count > 0 ? q["$deltatoken"].ToString() : q["$skiptoken"].ToString());
        if (q["$deltatoken"].Count > 0)
        {
            until = _sequence;
        }

        List<(int Group, List<(int User, bool Removed)> Members)> entries;
        lock (_changes)
        {
            var wanted = ids.Select(BenchTenant.Parse).Where(p => p is ("2222", _)).Select(p => p!.Value.Index).ToHashSet();
            entries = _changes.Where(c => c.Sequence > after && c.Sequence <= until && wanted.Contains(c.Group))
                .GroupBy(c => c.Group)
                .Select(g => (g.Key, g.GroupBy(c => c.User).Select(u => (u.Key, u.Last().Removed)).ToList()))
                .OrderBy(e => e.Key)
                .ToList();
        }

        var page = entries.Skip(offset).Take(DeltaPageSize).ToList();
        var more = offset + page.Count < entries.Count;
        return Write(w => DeltaPage(
            w,
            page,
            more ? $"{root}/groups/delta?$skiptoken={Token(after, until, offset + page.Count, ids)}" : null,
            more ? null : $"{root}/groups/delta?$deltatoken={Token(until, 0, 0, ids)}"));
    }

    private void DeltaPage(Utf8JsonWriter w, List<(int Group, List<(int User, bool Removed)> Members)> entries, string? next, string? delta)
    {
        w.WriteStartObject();
        w.WriteString("@odata.context", "$metadata#groups");
        if (next is not null)
        {
            w.WriteString("@odata.nextLink", next);
        }

        if (delta is not null)
        {
            w.WriteString("@odata.deltaLink", delta);
        }

        w.WriteStartArray("value");
        foreach (var (group, members) in entries)
        {
            w.WriteStartObject();
            GroupProperties(w, group);
            w.WriteStartArray("members@delta");
            foreach (var (user, removed) in members)
            {
                w.WriteStartObject();
                w.WriteString("@odata.type", "#microsoft.graph.user");
                w.WriteString("id", BenchTenant.UserId(user));
                if (removed)
                {
                    w.WriteStartObject("@removed");
                    w.WriteString("reason", "deleted");
                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static string Token(long after, long until, int offset, IEnumerable<string> groups) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{after}|{until}|{offset}|{string.Join(',', groups)}")).Replace('+', '-').Replace('/', '_').TrimEnd('=');

    private static (long After, long Until, int Offset, List<string> Groups) ParseToken(string token)
    {
        var padded = token.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - padded.Length % 4) % 4);
        var parts = Encoding.UTF8.GetString(Convert.FromBase64String(padded)).Split('|');
        return (long.Parse(parts[0]), long.Parse(parts[1]), int.Parse(parts[2]), [.. parts[3].Split(',', StringSplitOptions.RemoveEmptyEntries)]);
    }

    private static string? Page<T>(string self, IReadOnlyList<T> all, int top, int skip, Action<Utf8JsonWriter, T> item)
    {
        var next = skip + top < all.Count ? $"{self}?$top={top}&$skiptoken={skip + top}" : null;
        return Write(w => Collection(w, next, all.Skip(skip).Take(top), item));
    }

    private static void Collection<T>(Utf8JsonWriter w, string? next, IEnumerable<T> items, Action<Utf8JsonWriter, T> item)
    {
        w.WriteStartObject();
        if (next is not null)
        {
            w.WriteString("@odata.nextLink", next);
        }

        w.WriteStartArray("value");
        foreach (var value in items)
        {
            item(w, value);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private void User(Utf8JsonWriter w, int u)
    {
        w.WriteStartObject();
        w.WriteString("@odata.type", "#microsoft.graph.user");
        w.WriteString("id", BenchTenant.UserId(u));
        w.WriteString("displayName", $"User {u}");
        w.WriteString("userPrincipalName", $"user{u}@contoso.example");
        w.WriteString("mail", $"user{u}@contoso.example");
        w.WriteBoolean("accountEnabled", u % 97 != 0);
        w.WriteString("userType", u % 50 == 0 ? "Guest" : "Member");
        w.WriteEndObject();
    }

    private void Group(Utf8JsonWriter w, int g)
    {
        w.WriteStartObject();
        GroupProperties(w, g);
        w.WriteEndObject();
    }

    private void GroupProperties(Utf8JsonWriter w, int g)
    {
        w.WriteString("id", BenchTenant.GroupId(g));
        w.WriteString("displayName", tenant.IsAiGroup(g) ? $"AI users – department {g}" : $"Group {g}");
        w.WriteString("description", tenant.IsAiGroup(g) ? "Who may use the approved AI tools" : null);
        w.WriteBoolean("securityEnabled", true);
        w.WriteBoolean("mailEnabled", false);
        w.WriteBoolean("isAssignableToRole", false);
        w.WriteStartArray("groupTypes");
        w.WriteEndArray();
        w.WriteNull("membershipRule");
    }

    private void ServicePrincipal(Utf8JsonWriter w, int s)
    {
        var owner = tenant.SpOwner(s);
        w.WriteStartObject();
        w.WriteString("id", BenchTenant.SpId(s));
        w.WriteString("appId", BenchTenant.AppId(s));
        w.WriteString("displayName", $"{owner} app {s}");
        w.WriteString("appOwnerOrganizationId", owner switch { "own" => BenchTenant.TenantId, "microsoft" => BenchTenant.MicrosoftTenant, _ => BenchTenant.VendorTenant });
        w.WriteString("servicePrincipalType", tenant.IsManagedIdentity(s) ? "ManagedIdentity" : "Application");
        w.WriteBoolean("accountEnabled", true);
        w.WriteBoolean("appRoleAssignmentRequired", s % 2 == 0);
        w.WriteStartArray("tags");
        if (tenant.IsTagged(s))
        {
            w.WriteStringValue("ai-system");
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Application(Utf8JsonWriter w, int s)
    {
        w.WriteStartObject();
        w.WriteString("id", BenchTenant.ApplicationId(s));
        w.WriteString("appId", BenchTenant.AppId(s));
        w.WriteString("displayName", $"own app {s}");
        w.WriteString("signInAudience", "AzureADMyOrg");
        w.WriteString("createdDateTime", "2024-11-05T08:15:30Z");
        w.WriteEndObject();
    }

    private static void Grant(Utf8JsonWriter w, (string Id, int Client, string ConsentType, int? Principal, string Scope) grant)
    {
        w.WriteStartObject();
        w.WriteString("id", grant.Id);
        w.WriteString("clientId", BenchTenant.SpId(grant.Client));
        w.WriteString("consentType", grant.ConsentType);
        if (grant.Principal is { } p)
        {
            w.WriteString("principalId", BenchTenant.UserId(p));
        }
        else
        {
            w.WriteNull("principalId");
        }

        w.WriteString("resourceId", BenchTenant.SpId(0));
        w.WriteString("scope", grant.Scope);
        w.WriteEndObject();
    }

    private static readonly string[] Privileged =
    [
        "62e90394-69f5-4237-9190-012177145e10", "e8611ab8-c189-46e8-94e1-60213ab1f814", "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
        "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", "158c047a-c907-4556-b7ef-446551a6b5f7", "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9",
        "194ae4cb-b126-40b2-bd5b-6091b380977d", "d2562ede-74db-457e-a7b6-544e236ebb61",
    ];

    private static void RoleDefinition(Utf8JsonWriter w, int i)
    {
        var id = i < Privileged.Length ? Privileged[i] : BenchTenant.Id("6666", i);
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("templateId", id);
        w.WriteString("displayName", $"Role {i}");
        w.WriteBoolean("isBuiltIn", true);
        w.WriteBoolean("isEnabled", true);
        w.WriteEndObject();
    }

    private void RoleAssignment(Utf8JsonWriter w, string role, int i, bool active)
    {
        var user = (Math.Abs(role.GetHashCode(StringComparison.Ordinal)) + i * 13) % tenant.Options.Users;
        w.WriteStartObject();
        w.WriteString("id", $"{role}-{i}-{(active ? "a" : "e")}");
        w.WriteString("principalId", BenchTenant.UserId(user));
        w.WriteString("roleDefinitionId", role);
        w.WriteString("directoryScopeId", "/");
        if (!active)
        {
            w.WriteString("memberType", "Direct");
            w.WriteString("status", "Provisioned");
            w.WriteStartObject("scheduleInfo");
            w.WriteString("startDateTime", "2025-02-14T10:02:11Z");
            w.WriteStartObject("expiration");
            w.WriteString("type", "afterDateTime");
            w.WriteString("endDateTime", "2026-02-14T10:02:11Z");
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WritePropertyName("principal");
        User(w, user);
        w.WriteEndObject();
    }

    private void ReviewDefinition(Utf8JsonWriter w, int d)
    {
        // The first ones review the AI groups; the rest review other groups and are skipped by the collector.
        var group = d < tenant.Options.ReviewedGroups ? d : tenant.Options.AiGroups + d;
        w.WriteStartObject();
        w.WriteString("id", BenchTenant.Id("8888", d));
        w.WriteString("displayName", $"Quarterly review {d}");
        w.WriteString("status", "InProgress");
        w.WriteStartObject("scope");
        w.WriteString("@odata.type", "#microsoft.graph.accessReviewQueryScope");
        w.WriteString("query", $"/groups/{BenchTenant.GroupId(group)}/transitiveMembers");
        w.WriteString("queryType", "MicrosoftGraph");
        w.WriteEndObject();
        w.WriteStartObject("settings");
        w.WriteNumber("instanceDurationInDays", 14);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void ReviewInstance(Utf8JsonWriter w, int d, int i)
    {
        var start = new DateTime(2025, 3 * i + 3, 15, 0, 0, 0, DateTimeKind.Utc);
        w.WriteStartObject();
        w.WriteString("id", BenchTenant.Id("9999", d * 4 + i));
        w.WriteString("startDateTime", start);
        w.WriteString("endDateTime", start.AddDays(14));
        w.WriteString("status", "Completed");
        w.WriteEndObject();
    }

    private void Decision(Utf8JsonWriter w, int d, int u)
    {
        w.WriteStartObject();
        w.WriteString("id", BenchTenant.Id("aaaa", u));
        w.WriteString("decision", u % 10 == 0 ? "Deny" : "Approve");
        w.WriteString("recommendation", "Approve");
        w.WriteString("reviewedDateTime", "2025-06-20T14:03:00Z");
        w.WriteString("applyResult", "AppliedSuccessfully");
        w.WriteStartObject("resource");
        w.WriteString("id", BenchTenant.GroupId(d));
        w.WriteString("type", "group");
        w.WriteEndObject();
        w.WriteStartObject("reviewedBy");
        w.WriteString("id", BenchTenant.UserId(tenant.Owners(d)[0]));
        w.WriteString("displayName", "Owner");
        w.WriteEndObject();
        w.WriteStartObject("principal");
        w.WriteString("@odata.type", "#microsoft.graph.userIdentity");
        w.WriteString("id", BenchTenant.UserId(u));
        w.WriteString("displayName", $"User {u}");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private void Policy(Utf8JsonWriter w, int p)
    {
        var ai = tenant.AiSps.ToList();
        w.WriteStartObject();
        w.WriteString("id", BenchTenant.Id("bbbb", p));
        w.WriteString("displayName", $"Policy {p}");
        w.WriteString("state", p % 5 == 0 ? "enabledForReportingButNotEnforced" : "enabled");
        w.WriteStartObject("conditions");
        w.WriteStartArray("clientAppTypes");
        w.WriteStringValue("all");
        w.WriteEndArray();
        w.WriteStartObject("applications");
        w.WriteStartArray("includeApplications");
        w.WriteStringValue(p == 0 ? "All" : BenchTenant.AppId(ai[p % ai.Count]));
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartObject("users");
        w.WriteStartArray("includeUsers");
        w.WriteStringValue("All");
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartObject("grantControls");
        w.WriteString("operator", "OR");
        w.WriteStartArray("builtInControls");
        w.WriteStringValue("mfa");
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Audit(Utf8JsonWriter w, string target, int i)
    {
        w.WriteStartObject();
        w.WriteString("id", $"Directory_{target}_{i}");
        w.WriteString("category", "ApplicationManagement");
        w.WriteString("result", "success");
        w.WriteString("activityDisplayName", "Update service principal");
        w.WriteString("activityDateTime", AuditTime(i));
        w.WriteString("operationType", "Update");
        w.WriteStartArray("targetResources");
        w.WriteStartObject();
        w.WriteString("id", target);
        w.WriteString("type", "ServicePrincipal");
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static DateTime AuditTime(int i) => new(2025, 6, 2 + i * 5, 12, 0, 0, DateTimeKind.Utc);

    /// <summary><c>/groups/{id}/members</c> → <c>/groups/{id}/members</c> with the id replaced, so counts group by endpoint.</summary>
    private static string Template(string path) => GuidPattern().Replace(path["/v1.0".Length..], "{id}");

    private static string? Quoted(string text)
    {
        var start = text.IndexOf('\'', StringComparison.Ordinal);
        var end = start < 0 ? -1 : text.IndexOf('\'', start + 1);
        return end > start ? text[(start + 1)..end] : null;
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex GuidPattern();

    [GeneratedRegex(@"^/?(servicePrincipals|applications)\(appId='([0-9a-f-]+)'\)$")]
    private static partial Regex AppIdPattern();

    [GeneratedRegex("id eq '([0-9a-f-]+)'")]
    private static partial Regex IdList();
}
