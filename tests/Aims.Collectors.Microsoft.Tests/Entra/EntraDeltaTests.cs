using System.Text;
using System.Text.Json.Nodes;
using Aims.Collectors.Microsoft.Tests.Fixtures;
using Aims.Collectors.Microsoft.Tests.Infrastructure;
using Aims.Collectors.Sources;
using Aims.Evidence.Items;
using Microsoft.AspNetCore.Http;

namespace Aims.Collectors.Microsoft.Tests.Entra;

/// <summary>Re-runs of the group-members area: the saved snapshot, the delta round, and every way back to a full read.</summary>
public sealed class EntraDeltaTests(FakeApiFixture fake) : IClassFixture<FakeApiFixture>
{
    private const string Kind = "entra.group-members";
    private static readonly string StateKey = $"group-members.{GraphIds.GovernanceGroup}.json";

    private Task<EntraRun> StartAsync(Action<FakeApi>? routes = null, Action<Dictionary<string, string?>>? settings = null, bool withState = true) =>
        EntraRun.StartAsync(routes, settings, fake.Api, withState);

    private static EvidenceItem Group(EntraRun run) => run.Single(Kind, GraphIds.GovernanceGroup);

    /// <summary>The requests the group-members job made (other areas' requests are left out).</summary>
    private static List<string> GroupRequests(EntraRun run) =>
        run.Api.Requests
            .Where(r => r.Path.StartsWith("/v1.0/groups", StringComparison.Ordinal) || r.Path.StartsWith("/v1.0/directoryObjects", StringComparison.Ordinal))
            .Select(r => $"{r.Method} {r.Path}")
            .ToList();

    private static async Task<string?> StateTextAsync(EntraRun run)
    {
        await using var stream = await new EvidenceStoreCollectorState(run.Harness.Store).OpenAsync("EntraId", StateKey);
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    private static Task SaveStateAsync(EntraRun run, string text) =>
        new EvidenceStoreCollectorState(run.Harness.Store).SaveAsync("EntraId", StateKey, new MemoryStream(Encoding.UTF8.GetBytes(text)));

    private static IEnumerable<string> Ids(JsonNode? principals) => principals!.AsArray().Select(p => (string)p!["id"]!);

    [Fact]
    public async Task The_first_run_reads_in_full_and_keeps_the_snapshot_with_its_delta_link()
    {
        await using var run = await StartAsync();

        var item = Group(run);
        Assert.Equal("full", (string?)item.Facts["readMode"]);
        Assert.Equal("no saved state", (string?)item.Facts["fullReadReason"]);
        var state = JsonNode.Parse((await StateTextAsync(run))!)!;
        Assert.Equal(1, state["format"]!.GetValue<int>());
        Assert.Equal(GraphIds.GovernanceGroup, (string?)state["groupId"]);
        Assert.Equal((string?)item.Facts["deltaLink"], (string?)state["deltaLink"]);
        Assert.Equal(Ids(item.Facts["members"]), Ids(state["members"]));
        Assert.Equal([GraphIds.Megan], Ids(state["owners"]));
        Assert.Equal("AI Governance Board", (string?)state["group"]!["displayName"]);
        Assert.Equal(CanonicalJson.ToText(item.Facts["members"]), CanonicalJson.ToText(state["members"]));
    }

    [Fact]
    public async Task A_re_run_without_changes_sends_only_the_delta_round_and_stores_the_same_membership()
    {
        await using var run = await StartAsync();
        var first = Group(run);

        await run.RunAgainAsync();

        var second = Group(run);
        Assert.Equal(["GET /v1.0/groups/delta"], GroupRequests(run));
        var round = Assert.Single(run.Api.To("GET", "/v1.0/groups/delta"));
        Assert.Equal((string?)first.Facts["deltaLink"], $"{run.Api.Root}{round.Path}?$deltatoken={round.QueryValue("$deltatoken")}");
        Assert.Equal("delta", (string?)second.Facts["readMode"]);
        Assert.Equal(CanonicalJson.ToText(first.Facts["members"]), CanonicalJson.ToText(second.Facts["members"]));
        Assert.Equal(CanonicalJson.ToText(first.Facts["owners"]), CanonicalJson.ToText(second.Facts["owners"]));
        Assert.Equal(CanonicalJson.ToText(first.Facts["group"]), CanonicalJson.ToText(second.Facts["group"]));
        Assert.Equal(first.Summary, second.Summary);
        Assert.Equal(first.Facts["fullReadAt"]!.ToJsonString(), second.Facts["fullReadAt"]!.ToJsonString());
        Assert.Empty(run.Api.Unmatched);
    }

    [Fact]
    public async Task Joiners_leavers_owner_and_property_changes_are_applied_and_agree_with_a_full_read()
    {
        // Given a first run, then changes to the group in the directory
        await using var run = await StartAsync();
        run.Directory.AddMember(GraphIds.GovernanceGroup, GraphIds.Nestor);
        run.Directory.RemoveMember(GraphIds.GovernanceGroup, GraphIds.Alex);
        run.Directory.AddOwner(GraphIds.GovernanceGroup, GraphIds.Adele);
        run.Directory.RemoveOwner(GraphIds.GovernanceGroup, GraphIds.Megan);
        run.Directory.SetGroupProperty(GraphIds.GovernanceGroup, "description", "Approves and retires AI systems");

        // When the re-run applies the delta
        await run.RunAgainAsync();

        // Then it sent the round and one lookup of the two added principals, nothing else
        Assert.Equal(["GET /v1.0/groups/delta", "POST /v1.0/directoryObjects/getByIds"], GroupRequests(run));
        var lookup = JsonNode.Parse(Assert.Single(run.Api.To("POST", "/v1.0/directoryObjects/getByIds")).Body)!;
        Assert.Equal([GraphIds.Adele, GraphIds.Nestor], lookup["ids"]!.AsArray().Select(i => (string)i!).Order(StringComparer.Ordinal));
        Assert.Contains("accountEnabled", run.Api.To("POST", "/v1.0/directoryObjects/getByIds")[0].QueryValue("$select"), StringComparison.Ordinal);

        var delta = Group(run);
        Assert.Equal("delta", (string?)delta.Facts["readMode"]);
        Assert.Equal(
            """{"groupProperties":["description"],"membersAdded":1,"membersRemoved":1,"ownersAdded":1,"ownersRemoved":1}""",
            CanonicalJson.ToText(delta.Facts["changes"]));
        Assert.Contains(GraphIds.Nestor, Ids(delta.Facts["members"]));
        Assert.DoesNotContain(GraphIds.Alex, Ids(delta.Facts["members"]));
        Assert.Equal([GraphIds.Adele], Ids(delta.Facts["owners"]));
        Assert.Equal("NestorW@contoso.com", (string?)delta.Facts["members"]!.AsArray().Single(m => (string?)m!["id"] == GraphIds.Nestor)!["userPrincipalName"]);

        // And a full read of the same directory stores the same membership, owners and group
        await run.RunAgainAsync(TimeSpan.FromMinutes(1), withState: false);
        var full = Group(run);
        Assert.Equal("full", (string?)full.Facts["readMode"]);
        Assert.Equal(CanonicalJson.ToText(full.Facts["members"]), CanonicalJson.ToText(delta.Facts["members"]));
        Assert.Equal(CanonicalJson.ToText(full.Facts["owners"]), CanonicalJson.ToText(delta.Facts["owners"]));
        Assert.Equal(CanonicalJson.ToText(full.Facts["group"]), CanonicalJson.ToText(delta.Facts["group"]));
        Assert.Equal(full.Facts["memberCount"]!.GetValue<int>(), delta.Facts["memberCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_round_over_several_pages_is_followed_to_its_delta_link_and_applied_whole()
    {
        await using var run = await StartAsync();
        run.Directory.DeltaPageSize = 1;
        run.Directory.RemoveMember(GraphIds.GovernanceGroup, GraphIds.Diego);
        run.Directory.RemoveMember(GraphIds.GovernanceGroup, GraphIds.Johanna);
        run.Directory.AddMember(GraphIds.GovernanceGroup, GraphIds.Nestor);

        await run.RunAgainAsync();

        var rounds = run.Api.To("GET", "/v1.0/groups/delta");
        Assert.Equal(3, rounds.Count);
        Assert.Equal(2, rounds.Count(r => r.QueryValue("$skiptoken") is not null));
        var facts = Group(run).Facts;
        Assert.Equal([GraphIds.Alex, GraphIds.Adele, GraphIds.Nestor, GraphIds.UnrelatedGroup], Ids(facts["members"]));
        Assert.Equal(2, facts["changes"]!["membersRemoved"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_next_run_resumes_from_the_link_the_delta_run_saved()
    {
        await using var run = await StartAsync();
        run.Directory.AddMember(GraphIds.GovernanceGroup, GraphIds.Nestor);
        await run.RunAgainAsync();
        var secondLink = (string?)Group(run).Facts["deltaLink"];

        run.Directory.RemoveMember(GraphIds.GovernanceGroup, GraphIds.Nestor);
        await run.RunAgainAsync();

        var facts = Group(run).Facts;
        var round = Assert.Single(run.Api.To("GET", "/v1.0/groups/delta"));
        Assert.Equal(secondLink, $"{run.Api.Root}{round.Path}?$deltatoken={round.QueryValue("$deltatoken")}");
        Assert.Equal("delta", (string?)facts["readMode"]);
        Assert.DoesNotContain(GraphIds.Nestor, Ids(facts["members"]));
        Assert.Equal(0, facts["changes"]!["membersAdded"]!.GetValue<int>());
        Assert.Empty(run.Api.To("POST", "/v1.0/directoryObjects/getByIds"));
    }

    [Fact]
    public async Task An_expired_delta_link_is_read_in_full_and_fresh_state_is_saved()
    {
        // Given a first run whose delta token then expires (410 Gone, syncStateNotFound)
        await using var run = await StartAsync();
        var oldLink = (string?)Group(run).Facts["deltaLink"];
        run.Directory.ExpireTokens();
        run.Directory.AddMember(GraphIds.GovernanceGroup, GraphIds.Nestor);

        // When the re-run tries the link
        await run.RunAgainAsync();

        // Then it falls back to a full read that says why, and anchors a new link
        var facts = Group(run).Facts;
        Assert.Equal("full", (string?)facts["readMode"]);
        Assert.Contains("410", (string?)facts["fullReadReason"], StringComparison.Ordinal);
        Assert.Contains("syncStateNotFound", (string?)facts["fullReadReason"], StringComparison.Ordinal);
        Assert.Contains(GraphIds.Nestor, Ids(facts["members"]));
        Assert.Equal(3, run.Api.Count("GET", FakeGraphTenant.MembersPath));
        Assert.Empty(run.Errors(Kind));
        var state = JsonNode.Parse((await StateTextAsync(run))!)!;
        Assert.NotEqual(oldLink, (string?)state["deltaLink"]);
        Assert.Equal((string?)facts["deltaLink"], (string?)state["deltaLink"]);

        // And the run after that is a delta run again
        await run.RunAgainAsync();
        Assert.Equal("delta", (string?)Group(run).Facts["readMode"]);
    }

    [Fact]
    public async Task A_delta_token_graph_rejects_as_malformed_falls_back_to_a_full_read()
    {
        await using var run = await StartAsync();
        run.Directory.RejectAllTokens = true;

        await run.RunAgainAsync();

        var facts = Group(run).Facts;
        Assert.Equal("full", (string?)facts["readMode"]);
        Assert.Contains("400", (string?)facts["fullReadReason"], StringComparison.Ordinal);
        Assert.Equal(5, facts["memberCount"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("{ not json", "not valid JSON")]
    [InlineData("[1, 2]", "not a JSON object")]
    [InlineData("""{"format": 99}""", "format 99")]
    public async Task Unreadable_or_foreign_state_is_read_in_full_and_replaced(string state, string reason)
    {
        await using var run = await StartAsync();
        await SaveStateAsync(run, state);

        await run.RunAgainAsync();

        var facts = Group(run).Facts;
        Assert.Equal("full", (string?)facts["readMode"]);
        Assert.Contains(reason, (string?)facts["fullReadReason"], StringComparison.Ordinal);
        Assert.Equal(1, JsonNode.Parse((await StateTextAsync(run))!)!["format"]!.GetValue<int>());
    }

    [Fact]
    public async Task State_kept_for_another_group_is_not_applied()
    {
        await using var run = await StartAsync();
        var state = (await StateTextAsync(run))!.Replace(GraphIds.GovernanceGroup, GraphIds.UnrelatedGroup, StringComparison.Ordinal);
        await SaveStateAsync(run, state);

        await run.RunAgainAsync();

        var facts = Group(run).Facts;
        Assert.Equal("full", (string?)facts["readMode"]);
        Assert.Contains($"kept for group '{GraphIds.UnrelatedGroup}'", (string?)facts["fullReadReason"], StringComparison.Ordinal);
        Assert.All(run.Api.To("GET", "/v1.0/groups/delta"), r => Assert.Equal("latest", r.QueryValue("$deltatoken")));
    }

    [Fact]
    public async Task State_whose_delta_link_points_elsewhere_is_not_followed()
    {
        await using var run = await StartAsync();
        var state = JsonNode.Parse((await StateTextAsync(run))!)!;
        state["deltaLink"] = "https://attacker.example/v1.0/groups/delta?$deltatoken=x";
        await SaveStateAsync(run, state.ToJsonString());

        await run.RunAgainAsync();

        Assert.Equal("full", (string?)Group(run).Facts["readMode"]);
        Assert.Contains("delta link", (string?)Group(run).Facts["fullReadReason"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_group_the_round_reports_deleted_is_read_in_full_and_reported_missing()
    {
        await using var run = await StartAsync();
        run.Directory.DeleteGroup(GraphIds.GovernanceGroup);

        await run.RunAgainAsync();

        Assert.Empty(run.OfKind(Kind));
        var error = Assert.Single(run.Errors(Kind));
        Assert.Equal(GraphIds.GovernanceGroup, error.Subject.Id);
        Assert.Contains("404", (string?)error.Facts["error"], StringComparison.Ordinal);
        Assert.Single(run.Api.To("GET", $"/v1.0/groups/{GraphIds.GovernanceGroup}"));
    }

    [Fact]
    public async Task Without_a_delta_link_the_snapshot_is_emitted_and_no_state_is_saved()
    {
        // Given the anchor query is forbidden
        await using var run = await StartAsync(api => api.OnJson(
            "GET",
            "/v1.0/groups/delta",
            GraphPayloads.Error("Authorization_RequestDenied", "Insufficient privileges to complete the operation."),
            StatusCodes.Status403Forbidden));

        // Then the membership is still evidence, the item says why there is no link, and the next run reads in full
        var facts = Group(run).Facts;
        Assert.Null(facts["deltaLink"]);
        Assert.Contains("403", (string?)facts["deltaError"], StringComparison.Ordinal);
        Assert.Null(await StateTextAsync(run));
        await run.RunAgainAsync();
        Assert.Equal("no saved state", (string?)Group(run).Facts["fullReadReason"]);
    }

    [Fact]
    public async Task Without_a_state_store_every_run_reads_in_full()
    {
        await using var run = await StartAsync(withState: false);
        run.Directory.AddMember(GraphIds.GovernanceGroup, GraphIds.Nestor);

        await run.RunAgainAsync();

        var facts = Group(run).Facts;
        Assert.Equal("full", (string?)facts["readMode"]);
        Assert.Equal("no collector state store", (string?)facts["fullReadReason"]);
        Assert.Equal(3, run.Api.Count("GET", FakeGraphTenant.MembersPath));
        Assert.Equal(6, facts["memberCount"]!.GetValue<int>());
        Assert.Null(await StateTextAsync(run));
    }

    [Fact]
    public async Task Without_the_permission_to_look_up_added_members_the_group_is_read_in_full()
    {
        await using var run = await StartAsync(api => api.OnJson(
            "POST",
            "/v1.0/directoryObjects/getByIds",
            GraphPayloads.Error("Authorization_RequestDenied", "Insufficient privileges to complete the operation."),
            StatusCodes.Status403Forbidden));
        run.Directory.AddMember(GraphIds.GovernanceGroup, GraphIds.Nestor);

        await run.RunAgainAsync();

        var facts = Group(run).Facts;
        Assert.Equal("full", (string?)facts["readMode"]);
        Assert.Contains("Directory.Read.All", (string?)facts["fullReadReason"], StringComparison.Ordinal);
        Assert.Contains(GraphIds.Nestor, Ids(facts["members"]));
        Assert.Empty(run.Errors(Kind));
    }

    [Fact]
    public async Task A_member_whose_account_changed_is_refreshed_by_the_periodic_full_read()
    {
        // Given a member disabled in the directory (no group change: a group delta does not report it)
        await using var run = await StartAsync();
        run.Directory.DisableUser(GraphIds.Adele);

        // When re-runs follow within and after FullReadEveryDays (7 by default)
        await run.RunAgainAsync(TimeSpan.FromDays(3));
        var withinWeek = Group(run).Facts;
        await run.RunAgainAsync(TimeSpan.FromDays(5));
        var afterWeek = Group(run).Facts;

        // Then the delta run still carries the old account state and says since when; the weekly full read refreshes it
        static bool? Enabled(JsonNode facts) => facts["members"]!.AsArray().Single(m => (string?)m!["id"] == GraphIds.Adele)!["accountEnabled"]!.GetValue<bool>();
        Assert.Equal("delta", (string?)withinWeek["readMode"]);
        Assert.Equal("2025-07-02T09:00:00.000Z", (string?)withinWeek["fullReadAt"]);
        Assert.True(Enabled(withinWeek));
        Assert.Equal("full", (string?)afterWeek["readMode"]);
        Assert.Contains("not within 7 days", (string?)afterWeek["fullReadReason"], StringComparison.Ordinal);
        Assert.False(Enabled(afterWeek));
    }

    [Fact]
    public async Task FullReadEveryDays_zero_turns_delta_re_runs_off()
    {
        await using var run = await StartAsync(settings: s => s["FullReadEveryDays"] = "0");

        await run.RunAgainAsync();

        Assert.Equal("full", (string?)Group(run).Facts["readMode"]);
        Assert.Contains("FullReadEveryDays is 0", (string?)Group(run).Facts["fullReadReason"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task State_and_store_never_hold_the_token_or_an_authorization_value()
    {
        await using var run = await StartAsync();
        run.Directory.AddMember(GraphIds.GovernanceGroup, GraphIds.Nestor);
        await run.RunAgainAsync();

        var state = (await StateTextAsync(run))!;
        Assert.DoesNotContain("fake-test-token", state, StringComparison.Ordinal);
        Assert.DoesNotContain("Bearer", state, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Authorization", state, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("fake-test-token", run.Harness.AllStoredText(), StringComparison.Ordinal);
        Assert.All(run.Api.Requests, r => Assert.Equal("Bearer fake-test-token", r.Authorization));
    }
}
