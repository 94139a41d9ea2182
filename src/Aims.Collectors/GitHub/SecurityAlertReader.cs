using System.Text.Json.Nodes;
using Aims.Collectors.Http;

namespace Aims.Collectors.GitHub;

/// <summary>
/// <c>github.security-alerts</c>: open Dependabot, code-scanning and secret-scanning alerts counted by severity. A 403
/// or 404 means the feature is off or not visible to the collector; that is recorded per tool (open: null, not 0),
/// not raised, and the <c>alerts-readable</c> check fails on it: unread alerts are never a pass.
/// The raw payload lists the alerts compactly (number, severity, dates, link) instead of as sent: secret-scanning
/// alerts can carry the leaked secret, which must never be stored, and the rest follows the same shape.
/// </summary>
internal sealed class SecurityAlertReader(JsonRestClient client) : IRepositoryEvidenceReader
{
    public const string KindName = "github.security-alerts";
    private static readonly string[] Severities = ["critical", "high", "medium", "low"];

    public string Kind => KindName;

    public string Locator(RepositoryScope scope) => $"/{scope.Api}/dependabot/alerts";

    public async Task<GitHubObservation> ReadAsync(RepositoryScope scope, CancellationToken cancellationToken = default)
    {
        var raw = new JsonObject();
        var dependabot = await ToolAsync(scope, "dependabot", $"{scope.Api}/dependabot/alerts?state=open&per_page=100", true, DependabotSeverity, raw, cancellationToken).ConfigureAwait(false);
        var codeScanning = await ToolAsync(scope, "codeScanning", $"{scope.Api}/code-scanning/alerts?state=open&per_page=100", true, CodeScanningSeverity, raw, cancellationToken).ConfigureAwait(false);

        // hide_secret keeps the secret out of the response; conditional: false keeps the response out of the cache
        // should a server ignore hide_secret.
        var secretScanning = await ToolAsync(scope, "secretScanning", $"{scope.Api}/secret-scanning/alerts?state=open&hide_secret=true&per_page=100", false, _ => null, raw, cancellationToken).ConfigureAwait(false);

        var tools = new[] { dependabot, codeScanning, secretScanning };
        var open = tools.Sum(t => t["open"]?.GetValue<int>() ?? 0);
        var criticalOrHigh = tools.Sum(t => t["bySeverity"] is JsonObject s ? (s["critical"]?.GetValue<int>() ?? 0) + (s["high"]?.GetValue<int>() ?? 0) : 0);
        var facts = new JsonObject
        {
            ["openAlerts"] = open,
            ["openCriticalOrHigh"] = criticalOrHigh,
            ["toolsAvailable"] = tools.Count(t => t["available"]!.GetValue<bool>()),
            ["dependabot"] = dependabot,
            ["codeScanning"] = codeScanning,
            ["secretScanning"] = secretScanning,
        };
        var available = string.Join(", ", new[] { ("Dependabot", dependabot), ("code scanning", codeScanning), ("secret scanning", secretScanning) }
            .Select(t => t.Item2["available"]!.GetValue<bool>() ? $"{t.Item1} {t.Item2["open"]}" : $"{t.Item1} unavailable"));
        return new GitHubObservation(Kind, Locator(scope), $"{scope.Repository}: {open} open security alert(s) ({available})", facts, raw);
    }

    private async Task<JsonObject> ToolAsync(
        RepositoryScope scope, string tool, string path, bool conditional, Func<JsonObject, string?> severityOf, JsonObject raw, CancellationToken cancellationToken)
    {
        var bySeverity = Severities.ToDictionary(s => s, _ => 0, StringComparer.Ordinal);
        var alerts = new JsonArray();
        var open = 0;
        try
        {
            await foreach (var page in client.GetPagesAsync(path, conditional, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                foreach (var alert in GitHubJson.Objects(page.ParseArray()))
                {
                    open++;
                    var severity = severityOf(alert)?.ToLowerInvariant();
                    if (severity is not null)
                    {
                        bySeverity[severity] = bySeverity.GetValueOrDefault(severity) + 1;
                    }

                    alerts.Add(new JsonObject
                    {
                        ["number"] = GitHubJson.Long(alert, "number"),
                        ["severity"] = severity,
                        ["created_at"] = GitHubJson.String(alert, "created_at"),
                        ["html_url"] = GitHubJson.String(alert, "html_url"),
                    });
                }
            }
        }
        catch (Exception ex) when (ex is SourceAuthException or SourceNotFoundException)
        {
            raw[tool] = new JsonObject { ["unavailable"] = ex.Message };
            return new JsonObject
            {
                ["available"] = false,
                ["reason"] = ex is SourceNotFoundException ? "not enabled or not found (404)" : "disabled or not permitted (403)",

                // Unknown, not zero: nothing could be counted.
                ["open"] = null,
            };
        }

        raw[tool] = new JsonObject { ["alerts"] = alerts };
        var facts = new JsonObject { ["available"] = true, ["open"] = open };
        if (tool != "secretScanning")
        {
            var counts = new JsonObject();
            foreach (var (severity, n) in bySeverity.OrderBy(s => Array.IndexOf(Severities, s.Key) is var i && i < 0 ? int.MaxValue : i).ThenBy(s => s.Key, StringComparer.Ordinal))
            {
                counts[severity] = n;
            }

            facts["bySeverity"] = counts;
        }

        return facts;
    }

    private static string? DependabotSeverity(JsonObject alert) =>
        GitHubJson.String(GitHubJson.Object(alert, "security_advisory"), "severity")
        ?? GitHubJson.String(GitHubJson.Object(alert, "security_vulnerability"), "severity");

    // security_severity_level (critical/high/medium/low) for security queries; rule severity (error/warning/note) otherwise.
    private static string? CodeScanningSeverity(JsonObject alert) =>
        GitHubJson.String(GitHubJson.Object(alert, "rule"), "security_severity_level")
        ?? GitHubJson.String(GitHubJson.Object(alert, "rule"), "severity");
}
