using System.Text.Json.Nodes;
using Aims.Collectors.Microsoft.Settings;
using Microsoft.Graph.Models;
using Microsoft.Kiota.Abstractions.Serialization;

namespace Aims.Collectors.Microsoft.Entra;

/// <summary>
/// The AI apps one run resolved, and their app registrations, kept in collector state under one key so the other jobs
/// of the same run (which may run in other processes or Functions invocations) reuse them instead of asking Graph
/// again. Used only by jobs of the same run id, for the same app settings, within <see cref="Lifetime"/>: a later run
/// always resolves afresh, so a newly tagged app or a changed registration is seen by the next run.
/// </summary>
internal sealed class AiAppRunCache
{
    public const string Key = "ai-apps.run.json";
    private const string KindName = "entra.ai-apps.run";

    /// <summary>A job retried long after its run started resolves again rather than trust an old resolution.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(6);

    private readonly Dictionary<string, JsonNode?> _registrations = new(StringComparer.OrdinalIgnoreCase);
    private readonly JsonArray _apps;
    private readonly DateTimeOffset _savedAt;
    private bool _dirty;

    private AiAppRunCache(JsonArray apps, DateTimeOffset savedAt)
    {
        _apps = apps;
        _savedAt = savedAt;
    }

    /// <summary>The resolution kept by an earlier job of this run, or null.</summary>
    public static async Task<(AiAppRunCache Cache, IReadOnlyList<AiApp> Apps)?> LoadAsync(EntraJobScope scope, CancellationToken cancellationToken = default)
    {
        var (state, _) = await EntraState.LoadAsync(scope, KindName, Key, cancellationToken).ConfigureAwait(false);
        var age = state is not null && EntraState.Time(state, "savedAt") is { } savedAt ? scope.Time.GetUtcNow() - savedAt : (TimeSpan?)null;
        if (state is null
            || age is not { } a || a < TimeSpan.Zero || a > Lifetime
            || EntraState.Text(state, "runId") != scope.Job.RunId
            || EntraState.Text(state, "settings") != Fingerprint(scope.Settings)
            || state["apps"] is not JsonArray apps
            || state["registrations"] is not JsonObject registrations)
        {
            return null;
        }

        var cache = new AiAppRunCache((JsonArray)apps.DeepClone(), EntraState.Time(state, "savedAt")!.Value);
        foreach (var (appId, registration) in registrations)
        {
            cache._registrations[appId] = registration?.DeepClone();
        }

        var result = new List<AiApp>(apps.Count);
        foreach (var node in apps)
        {
            if (node is not JsonObject app || app["servicePrincipal"] is not JsonObject sp || app["discoveredBy"] is not JsonArray how)
            {
                return null;
            }

            var servicePrincipal = await KiotaJsonSerializer.DeserializeAsync(sp.ToJsonString(), ServicePrincipal.CreateFromDiscriminatorValue, cancellationToken).ConfigureAwait(false);
            if (servicePrincipal?.Id is null)
            {
                return null;
            }

            result.Add(new AiApp(servicePrincipal, how.Select(h => h is JsonValue v && v.TryGetValue<string>(out var text) ? text : "").ToArray()));
        }

        return (cache, result);
    }

    /// <summary>Keeps a resolution that reported no failures (a failed one is redone by each job, which reports it).</summary>
    public static async Task<AiAppRunCache> CreateAsync(EntraJobScope scope, IReadOnlyList<AiApp> apps, CancellationToken cancellationToken = default)
    {
        var array = new JsonArray();
        foreach (var app in apps)
        {
            array.Add(Facts.Object(
                ("servicePrincipal", await GraphJson.ToNodeAsync(app.ServicePrincipal, cancellationToken).ConfigureAwait(false)),
                ("discoveredBy", Facts.SetOrEmpty(app.DiscoveredBy))));
        }

        var cache = new AiAppRunCache(array, scope.Time.GetUtcNow()) { _dirty = true };
        await cache.SaveAsync(scope, cancellationToken).ConfigureAwait(false);
        return cache;
    }

    /// <summary>The app registration kept for <paramref name="appId"/>: found (the application) or known absent (null).</summary>
    public async Task<(bool Known, Application? Registration)> RegistrationAsync(string appId, CancellationToken cancellationToken = default)
    {
        if (!_registrations.TryGetValue(appId, out var node))
        {
            return (false, null);
        }

        return node is null
            ? (true, null)
            : (true, await KiotaJsonSerializer.DeserializeAsync(node.ToJsonString(), Application.CreateFromDiscriminatorValue, cancellationToken).ConfigureAwait(false));
    }

    public async Task KeepRegistrationAsync(string appId, Application? registration, CancellationToken cancellationToken = default)
    {
        _registrations[appId] = await GraphJson.ToNodeAsync(registration, cancellationToken).ConfigureAwait(false);
        _dirty = true;
    }

    /// <summary>Saves what this job added (after its items were emitted).</summary>
    public async Task SaveAsync(EntraJobScope scope, CancellationToken cancellationToken = default)
    {
        if (!_dirty)
        {
            return;
        }

        var registrations = new JsonObject();
        foreach (var (appId, registration) in _registrations.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            registrations[appId] = registration?.DeepClone();
        }

        await EntraState.SaveAsync(
            scope,
            KindName,
            Key,
            new JsonObject
            {
                ["runId"] = scope.Job.RunId,
                ["settings"] = Fingerprint(scope.Settings),
                ["savedAt"] = EntraState.Timestamp(_savedAt),
                ["apps"] = _apps.DeepClone(),
                ["registrations"] = registrations,
            },
            cancellationToken).ConfigureAwait(false);
        _dirty = false;
    }

    /// <summary>The settings the resolution depends on: the tags and the configured apps.</summary>
    private static string Fingerprint(EntraIdSettings settings) =>
        $"tags:{string.Join(',', settings.AppTags)};apps:{string.Join(',', settings.Apps)}";
}
