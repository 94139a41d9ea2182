using System.Text.Json.Nodes;
using Aims.Collectors.Microsoft.Settings;
using Aims.Evidence.Items;
using Microsoft.Graph.Models;

namespace Aims.Collectors.Microsoft.Entra;

/// <summary>
/// <c>entra.access-reviews</c>: access review definitions whose scope names an AI-governance group or an AI app,
/// with their instances in the period and each instance's decisions (A.3.2). One item per definition.
/// </summary>
internal sealed class AccessReviewsArea : IEntraArea
{
    public string Kind => "entra.access-reviews";

    public bool IsConfigured(EntraIdSettings settings) => settings.Groups.Count > 0 || settings.Apps.Count > 0 || settings.AppTags.Count > 0;

    public async Task CollectAsync(EntraJobScope scope, CancellationToken cancellationToken = default)
    {
        var apps = await AiAppResolver.ResolveAsync(scope, Kind, cancellationToken).ConfigureAwait(false);
        var targets = scope.Settings.Groups.Select(g => (Id: g, Type: "group"))
            .Concat(apps.Select(a => (a.Id, Type: "servicePrincipal")))
            .Where(t => t.Id.Length > 0)
            .ToList();

        var matched = new List<(AccessReviewScheduleDefinition Definition, string Scope, List<(string Id, string Type)> Covers)>();
        try
        {
            await GraphPager.ForEachAsync<AccessReviewScheduleDefinition, AccessReviewScheduleDefinitionCollectionResponse>(
                scope.Client,
                GraphOperations.AccessReviewDefinitions,
                () => scope.Client.IdentityGovernance.AccessReviews.Definitions.GetAsync(cancellationToken: cancellationToken),
                async definition =>
                {
                    // Scopes come in several shapes (query scopes, principal/resource scopes); their JSON names the ids.
                    var scopeJson = string.Concat(
                        (await GraphJson.ToNodeAsync(definition.Scope, cancellationToken).ConfigureAwait(false))?.ToJsonString(),
                        (await GraphJson.ToNodeAsync(definition.InstanceEnumerationScope, cancellationToken).ConfigureAwait(false))?.ToJsonString());
                    var covers = targets.Where(t => scopeJson.Contains(t.Id, StringComparison.OrdinalIgnoreCase)).ToList();
                    if (covers.Count > 0)
                    {
                        matched.Add((definition, scopeJson, covers));
                    }
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (GraphCallException ex)
        {
            await scope.ReportAsync(EntraSubjects.Tenant(scope.Settings), Kind, ex, cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        foreach (var (definition, _, covers) in matched)
        {
            var subject = EntraSubjects.AccessReview(definition.Id ?? "", definition.DisplayName);
            try
            {
                await CollectDefinitionAsync(scope, definition, covers, subject, cancellationToken).ConfigureAwait(false);
            }
            catch (GraphCallException ex)
            {
                await scope.ReportAsync(subject, Kind, ex, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task CollectDefinitionAsync(
        EntraJobScope scope,
        AccessReviewScheduleDefinition definition,
        List<(string Id, string Type)> covers,
        Subject subject,
        CancellationToken cancellationToken = default)
    {
        var client = scope.Client;
        var period = scope.Job.Period;
        var definitions = client.IdentityGovernance.AccessReviews.Definitions[definition.Id];
        var instances = (await GraphPager.ListAsync<AccessReviewInstance, AccessReviewInstanceCollectionResponse>(
                client,
                GraphOperations.AccessReviewInstances,
                () => definitions.Instances.GetAsync(cancellationToken: cancellationToken),
                cancellationToken).ConfigureAwait(false))
            .Where(i => (i.StartDateTime ?? DateTimeOffset.MinValue) < period.To && (i.EndDateTime ?? DateTimeOffset.MaxValue) > period.From)
            .OrderBy(i => i.StartDateTime)
            .ToList();

        var instanceFacts = new List<JsonNode>();
        var rawInstances = new JsonArray();
        var toSave = new List<(string? Key, JsonObject State)>();
        var fromState = 0;
        foreach (var instance in instances)
        {
            var key = EntraState.Key("access-reviews", definition.Id ?? "", instance.Id ?? "");
            var decisions = IsClosed(instance.Status) ? await KeptDecisionsAsync(scope, key, definition.Id, instance.Id, cancellationToken).ConfigureAwait(false) : null;
            if (decisions is null)
            {
                var read = await GraphPager.ListAsync<AccessReviewInstanceDecisionItem, AccessReviewInstanceDecisionItemCollectionResponse>(
                    client,
                    GraphOperations.AccessReviewDecisions,
                    () => definitions.Instances[instance.Id].Decisions.GetAsync(rc => rc.QueryParameters.Top = 100, cancellationToken),
                    cancellationToken).ConfigureAwait(false);
                decisions = new KeptDecisions(DecisionFacts(read), await GraphJson.ToArrayAsync(read, cancellationToken).ConfigureAwait(false));
                if (IsFinal(instance.Status, read))
                {
                    toSave.Add((key, Facts.Object(
                        ("definitionId", definition.Id),
                        ("instanceId", instance.Id),
                        ("status", instance.Status),
                        ("decisionFacts", decisions.Facts.DeepClone()),
                        ("rawDecisions", decisions.Raw.DeepClone()))));
                }
            }
            else
            {
                fromState++;
            }

            var instanceFact = Facts.Object(
                ("id", instance.Id),
                ("status", instance.Status),
                ("startDateTime", Facts.Time(instance.StartDateTime)),
                ("endDateTime", Facts.Time(instance.EndDateTime)));
            foreach (var (name, value) in decisions.Facts)
            {
                instanceFact[name] = value?.DeepClone();
            }

            instanceFacts.Add(instanceFact);
            var rawInstance = await GraphJson.ToNodeAsync(instance, cancellationToken).ConfigureAwait(false) as JsonObject ?? [];
            rawInstance["decisions"] = decisions.Raw.DeepClone();
            rawInstances.Add(rawInstance);
        }

        var settings = definition.Settings;
        var facts = Facts.Object(
            ("definition", Facts.Object(
                ("id", definition.Id),
                ("displayName", definition.DisplayName),
                ("status", definition.Status),
                ("createdDateTime", Facts.Time(definition.CreatedDateTime)),
                ("scopeQuery", (definition.Scope as AccessReviewQueryScope)?.Query),
                ("reviewers", Facts.Set(definition.Reviewers?.Select(r => r.Query))),
                ("recurrence", EntraFacts.Wire(settings?.Recurrence?.Pattern?.Type)),
                ("instanceDurationInDays", settings?.InstanceDurationInDays),
                ("defaultDecision", settings?.DefaultDecisionEnabled == true ? settings.DefaultDecision : null),
                ("autoApplyDecisionsEnabled", settings?.AutoApplyDecisionsEnabled),
                ("justificationRequiredOnApproval", settings?.JustificationRequiredOnApproval))),
            ("coversGroups", Facts.SetOrEmpty(covers.Where(c => c.Type == "group").Select(c => c.Id))),
            ("coversServicePrincipals", Facts.SetOrEmpty(covers.Where(c => c.Type == "servicePrincipal").Select(c => c.Id))),
            ("instanceCount", instanceFacts.Count),
            ("instances", Facts.Array(instanceFacts)),
            ("readMode", fromState == 0 ? "full" : "incremental"),
            ("instancesFromState", fromState));
        var raw = await GraphJson.ToNodeAsync(definition, cancellationToken).ConfigureAwait(false) as JsonObject ?? [];
        raw["instances"] = rawInstances;
        await scope.EmitAsync(
            Kind,
            subject,
            $"/identityGovernance/accessReviews/definitions/{definition.Id}",
            $"Access review '{definition.DisplayName}': {instanceFacts.Count} instances in the period, {instanceFacts.Sum(i => i["decisionCount"]!.GetValue<int>())} decisions.",
            facts,
            raw,
            period,
            cancellationToken).ConfigureAwait(false);

        foreach (var (key, state) in toSave)
        {
            await EntraState.SaveAsync(scope, Kind, key, state, cancellationToken).ConfigureAwait(false);
        }

        if (fromState > 0)
        {
            EntraLog.StateReused(scope.Logger, Kind, fromState, instanceFacts.Count, $"instances of '{definition.Id}'");
        }
    }

    /// <summary>The decision facts and raw decisions of one instance, read now or kept from the run that saw it final.</summary>
    private sealed record KeptDecisions(JsonObject Facts, JsonArray Raw);

    /// <summary>
    /// Statuses after which reviewers can no longer decide. <c>Completed</c> and <c>AutoReviewed</c> may still have
    /// decisions waiting to be applied (auto-apply off, or applying later), so <see cref="IsFinal"/> also looks at them.
    /// </summary>
    private static bool IsClosed(string? status) =>
        status is not null && (status.Equals("Completed", StringComparison.OrdinalIgnoreCase)
            || status.Equals("AutoReviewed", StringComparison.OrdinalIgnoreCase)
            || status.Equals("Applied", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Whether nothing in these decisions can change any more: the instance is <c>Applied</c>, or it is closed and
    /// every decision carries an apply result other than <c>New</c> (an admin may still apply <c>New</c> ones).
    /// </summary>
    private static bool IsFinal(string? status, IReadOnlyList<AccessReviewInstanceDecisionItem> decisions) =>
        IsClosed(status) && (status!.Equals("Applied", StringComparison.OrdinalIgnoreCase)
            || decisions.All(d => !string.IsNullOrEmpty(d.ApplyResult) && !d.ApplyResult.Equals("New", StringComparison.OrdinalIgnoreCase)));

    private async Task<KeptDecisions?> KeptDecisionsAsync(EntraJobScope scope, string? key, string? definitionId, string? instanceId, CancellationToken cancellationToken = default)
    {
        var (state, _) = await EntraState.LoadAsync(scope, Kind, key, cancellationToken).ConfigureAwait(false);
        if (state is null
            || !string.Equals(EntraState.Text(state, "definitionId"), definitionId, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(EntraState.Text(state, "instanceId"), instanceId, StringComparison.OrdinalIgnoreCase)
            || state["decisionFacts"] is not JsonObject facts
            || facts["decisions"] is not JsonArray
            || state["rawDecisions"] is not JsonArray raw)
        {
            return null;
        }

        return new KeptDecisions((JsonObject)facts.DeepClone(), (JsonArray)raw.DeepClone());
    }

    private static JsonObject DecisionFacts(IReadOnlyList<AccessReviewInstanceDecisionItem> decisions) => Facts.Object(
        ("decisionCount", decisions.Count),
        ("decisionsByOutcome", Facts.Counts(decisions.Select(d => d.Decision))),
        ("decisions", Facts.Array(decisions
            .OrderBy(d => d.Principal?.Id, StringComparer.Ordinal)
            .Select(d => (JsonNode)Facts.Object(
                ("principalId", d.Principal?.Id),
                ("principalDisplayName", d.Principal?.DisplayName),
                ("resourceId", d.Resource?.Id),
                ("decision", d.Decision),
                ("recommendation", d.Recommendation),
                ("reviewedBy", d.ReviewedBy is { Id: not null and not "00000000-0000-0000-0000-000000000000" } r
                    ? Facts.Object(("id", r.Id), ("displayName", r.DisplayName), ("userPrincipalName", r.UserPrincipalName))
                    : null),
                ("reviewedDateTime", Facts.Time(d.ReviewedDateTime)),
                ("applyResult", d.ApplyResult),
                ("justificationGiven", !string.IsNullOrWhiteSpace(d.Justification)))))));
}
