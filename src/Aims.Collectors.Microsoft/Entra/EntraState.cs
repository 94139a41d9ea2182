using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Aims.Collectors.Microsoft.Entra;

/// <summary>
/// Kept state of the areas other than group members (access review decisions, audit entries, the run's AI apps):
/// a JSON object with a format, the area's kind and the Graph root it was read from. State is an optimization:
/// anything missing, unreadable, of another format, kind or root is "no state", and the area reads in full.
/// </summary>
internal static class EntraState
{
    /// <summary>Bumped when a layout changes; state of another format is not used.</summary>
    public const int Format = 1;

    /// <summary>Whether this scope may use kept state at all, and if not, why.</summary>
    public static string? Unavailable(EntraJobScope scope) =>
        scope.State is null ? "no collector state store"
        : scope.Settings.FullReadEveryDays == 0 ? $"incremental re-runs are off ({scope.Settings.Credential.SettingPrefix}:FullReadEveryDays is 0)"
        : null;

    /// <summary>A key made of plain-name parts, or null when a part (an id from Graph) is not a plain name.</summary>
    public static string? Key(string prefix, params string[] parts)
    {
        var key = string.Join('.', [prefix, .. parts, "json"]);
        return key.Length <= 128 && parts.All(p => p.Length > 0 && p.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) ? key : null;
    }

    /// <summary>The kept object for <paramref name="key"/>, or null with the reason it cannot be used.</summary>
    public static async Task<(JsonObject? State, string? Reason)> LoadAsync(EntraJobScope scope, string kind, string? key, CancellationToken cancellationToken = default)
    {
        if (Unavailable(scope) is { } off)
        {
            return (null, off);
        }

        if (key is null)
        {
            return (null, "the ids do not make a state key");
        }

        try
        {
            var content = await scope.State!.OpenAsync(EntraIdSource.SourceName, key, cancellationToken).ConfigureAwait(false);
            if (content is null)
            {
                return (null, "no saved state");
            }

            JsonNode? node;
            await using (content.ConfigureAwait(false))
            {
                node = await JsonNode.ParseAsync(content, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            var reason = node is not JsonObject root ? "not a JSON object"
                : Int(root, "format") != Format ? $"format {Int(root, "format")?.ToString(CultureInfo.InvariantCulture) ?? "missing"}, this version reads format {Format}"
                : Text(root, "kind") != kind ? $"kept for kind '{Text(root, "kind")}', not '{kind}'"
                : !string.Equals(Text(root, "graphRoot"), Root(scope), StringComparison.OrdinalIgnoreCase) ? $"read from '{Text(root, "graphRoot")}', not the configured '{Root(scope)}'"
                : null;
            if (reason is not null)
            {
                return Unusable(scope, key, reason);
            }

            return ((JsonObject)node!, null);
        }
        catch (JsonException ex)
        {
            return Unusable(scope, key, $"not valid JSON ({ex.Message.Split('\n', 2)[0]})");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Unusable(scope, key, $"could not be read: {ex.GetType().Name}: {ex.Message.Split('\n', 2)[0]}");
        }
    }

    /// <summary>Saves <paramref name="state"/> (after the item it backs was emitted); a failure is logged and costs the next run a full read.</summary>
    public static async Task SaveAsync(EntraJobScope scope, string kind, string? key, JsonObject state, CancellationToken cancellationToken = default)
    {
        if (Unavailable(scope) is not null || key is null)
        {
            return;
        }

        state["format"] = Format;
        state["kind"] = kind;
        state["graphRoot"] = Root(scope);
        try
        {
            using var content = new MemoryStream(Encoding.UTF8.GetBytes(state.ToJsonString()), writable: false);
            await scope.State!.SaveAsync(EntraIdSource.SourceName, key, content, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            EntraLog.StateNotSaved(scope.Logger, key, $"{ex.GetType().Name}: {ex.Message.Split('\n', 2)[0]}");
        }
    }

    /// <summary>A timestamp that reads back to the same instant (ticks included).</summary>
    public static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset? Time(JsonObject node, string name) =>
        Text(node, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : null;

    public static string? Text(JsonObject node, string name) =>
        node[name] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;

    private static int? Int(JsonObject node, string name) =>
        node[name] is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;

    private static string Root(EntraJobScope scope) => scope.Settings.BaseUrl.ToString().TrimEnd('/');

    private static (JsonObject?, string) Unusable(EntraJobScope scope, string key, string reason)
    {
        var text = $"saved state {key} is unusable: {reason}";
        EntraLog.AreaStateUnusable(scope.Logger, key, text);
        return (null, text);
    }
}
