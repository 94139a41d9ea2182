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
        foreach (var instance in instances)
        {
            var decisions = await GraphPager.ListAsync<AccessReviewInstanceDecisionItem, AccessReviewInstanceDecisionItemCollectionResponse>(
                client,
                GraphOperations.AccessReviewDecisions,
                () => definitions.Instances[instance.Id].Decisions.GetAsync(rc => rc.QueryParameters.Top = 100, cancellationToken),
                cancellationToken).ConfigureAwait(false);
            instanceFacts.Add(Facts.Object(
                ("id", instance.Id),
                ("status", instance.Status),
                ("startDateTime", Facts.Time(instance.StartDateTime)),
                ("endDateTime", Facts.Time(instance.EndDateTime)),
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
                        ("justificationGiven", !string.IsNullOrWhiteSpace(d.Justification))))))));
            var rawInstance = await GraphJson.ToNodeAsync(instance, cancellationToken).ConfigureAwait(false) as JsonObject ?? [];
            rawInstance["decisions"] = await GraphJson.ToArrayAsync(decisions, cancellationToken).ConfigureAwait(false);
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
            ("instances", Facts.Array(instanceFacts)));
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
    }
}
