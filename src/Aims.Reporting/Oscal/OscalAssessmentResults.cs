using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Aims.Evidence.Gaps;
using Aims.Reporting.IO;

namespace Aims.Reporting.Oscal;

/// <summary>What an OSCAL assessment-results document is made from.</summary>
/// <param name="Report">The gap analysis: one finding per reviewed control, with its status.</param>
/// <param name="PeriodFrom">Start of the audit period (the result's <c>start</c>).</param>
/// <param name="PeriodTo">End of the audit period (the result's <c>end</c>).</param>
/// <param name="Published">When the document was made (the real clock).</param>
/// <param name="GeneratorVersion">The product version (<c>metadata.version</c>).</param>
/// <param name="ReviewedControls">The controls in scope, in catalog spelling.</param>
/// <param name="Observations">One per evidence item in scope.</param>
public sealed record OscalInput(
    GapReport Report,
    DateTimeOffset PeriodFrom,
    DateTimeOffset PeriodTo,
    DateTimeOffset Published,
    string GeneratorVersion,
    IReadOnlyList<string> ReviewedControls,
    IReadOnlyCollection<OscalObservation> Observations)
{
    /// <summary>
    /// The item ids of the observations related to a control (its finding's <c>related-observations</c>). By default those
    /// of <see cref="Observations"/> that name it; a bundle passes its own index, so the observations are not scanned per control.
    /// </summary>
    public Func<string, IEnumerable<string>>? RelatedItemIds { get; init; }

    internal IEnumerable<string> RelatedTo(string control) =>
        RelatedItemIds?.Invoke(control) ?? Observations.Where(o => o.Controls.Contains(control, StringComparer.OrdinalIgnoreCase)).Select(o => o.ItemId);
}

/// <summary>
/// Writes an OSCAL assessment-results document (JSON): metadata, one result for the audit period whose reviewed controls
/// are the controls in scope, one observation per evidence item (collected, expires from the freshness window, the
/// evidence as a back-matter resource with its SHA-256), and one finding per control whose target status is
/// <c>satisfied</c> when the gap analysis says ok or not-applicable. UUIDs are name-based (version 5), so the same input
/// gives the same document. Written with a streaming writer as the observations are enumerated: memory does not grow with the evidence.
/// </summary>
public static class OscalAssessmentResults
{
    public const string OscalVersion = "1.1.2";
    public const string FileName = "oscal/assessment-results.json";

    /// <summary>The namespace of the product's own OSCAL properties.</summary>
    public const string PropertyNamespace = "https://github.com/aims-evidence/aims-evidence/ns/oscal";

    private static readonly Guid UuidNamespace = new("4d3c8a52-0d55-4f3e-9a7e-6f1b2c9e8a10");

    /// <summary>An OSCAL control-id token for a catalog id: Annex A ids as they are in lowercase, clause records prefixed.</summary>
    public static string ControlToken(string controlId) =>
        char.IsAsciiLetter(controlId[0]) ? controlId.ToLowerInvariant() : "clause-" + controlId.ToLowerInvariant();

    public static async Task WriteAsync(OscalInput input, Stream output, CancellationToken cancellationToken = default)
    {
        var report = input.Report;
        var scope = new HashSet<string>(input.ReviewedControls, StringComparer.OrdinalIgnoreCase);
        var root = $"{report.Organization}|{Timestamps.Iso(input.PeriodFrom)}|{Timestamps.Iso(input.PeriodTo)}|{Timestamps.Iso(input.Published)}";
        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteStartObject("assessment-results");
        json.WriteString("uuid", Uuid(root));

        json.WriteStartObject("metadata");
        json.WriteString("title", $"ISO/IEC 42001 evidence assessment: {report.Organization}");
        json.WriteString("last-modified", Timestamps.Iso(input.Published));
        json.WriteString("version", input.GeneratorVersion);
        json.WriteString("oscal-version", OscalVersion);
        json.WriteStartArray("props");
        Prop(json, "analysis-as-of", Timestamps.Iso(report.AsOf));
        if (report.AiSystemFilter is { } system)
        {
            Prop(json, "ai-system", system);
        }

        json.WriteEndArray();
        json.WriteEndObject();

        var planUuid = Uuid(root + "|plan");
        json.WriteStartObject("import-ap");
        json.WriteString("href", "#" + planUuid);
        json.WriteString("remarks", "There is no separate OSCAL assessment plan: the evidence requirements (evidence-as-code) are the plan, named in back-matter.");
        json.WriteEndObject();

        json.WriteStartArray("results");
        json.WriteStartObject();
        json.WriteString("uuid", Uuid(root + "|result"));
        json.WriteString("title", $"Audit period {Timestamps.Day(input.PeriodFrom)} to {Timestamps.Day(input.PeriodTo)}");
        json.WriteString("description", $"Automated evidence collection and gap analysis by aims-evidence {input.GeneratorVersion}, as of {Timestamps.Day(report.AsOf)}.");
        json.WriteString("start", Timestamps.Iso(input.PeriodFrom));
        json.WriteString("end", Timestamps.Iso(input.PeriodTo));

        json.WriteStartObject("reviewed-controls");
        json.WriteStartArray("control-selections");
        json.WriteStartObject();
        json.WriteString("description", "The ISO/IEC 42001 Annex A controls and clause records in scope.");
        json.WriteStartArray("include-controls");
        foreach (var control in input.ReviewedControls)
        {
            json.WriteStartObject();
            json.WriteString("control-id", ControlToken(control));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();

        if (input.Observations.Count > 0)
        {
            json.WriteStartArray("observations");
            foreach (var o in input.Observations)
            {
                WriteObservation(json, o);
                await FlushIfFullAsync(json, cancellationToken).ConfigureAwait(false);
            }

            json.WriteEndArray();
        }

        var findings = report.Controls.Where(c => scope.Contains(c.Control.Id)).ToList();
        if (findings.Count > 0)
        {
            json.WriteStartArray("findings");
            foreach (var control in findings)
            {
                await WriteFindingAsync(json, root, control, input.RelatedTo(control.Control.Id), cancellationToken).ConfigureAwait(false);
                await FlushIfFullAsync(json, cancellationToken).ConfigureAwait(false);
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
        json.WriteEndArray();

        json.WriteStartObject("back-matter");
        json.WriteStartArray("resources");
        json.WriteStartObject();
        json.WriteString("uuid", planUuid);
        json.WriteString("title", "Evidence requirements");
        json.WriteString("description", "Which evidence kinds, over which population and how fresh, satisfy each control (the organization's requirements file over the shipped defaults).");
        json.WriteEndObject();
        foreach (var o in input.Observations)
        {
            json.WriteStartObject();
            json.WriteString("uuid", EvidenceUuid(o));
            json.WriteString("title", $"Evidence item {o.ItemId}");
            json.WriteStartArray("rlinks");
            json.WriteStartObject();
            json.WriteString("href", o.Href);
            json.WriteString("media-type", "application/json");
            if (o.Sha256 is { } sha)
            {
                json.WriteStartArray("hashes");
                json.WriteStartObject();
                json.WriteString("algorithm", "SHA-256");
                json.WriteString("value", sha);
                json.WriteEndObject();
                json.WriteEndArray();
            }

            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            await FlushIfFullAsync(json, cancellationToken).ConfigureAwait(false);
        }

        json.WriteEndArray();
        json.WriteEndObject();

        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void WriteObservation(Utf8JsonWriter json, OscalObservation o)
    {
        json.WriteStartObject();
        json.WriteString("uuid", Uuid("observation|" + o.ItemId));
        json.WriteString("title", $"{o.Kind}: {o.SubjectKey}");
        json.WriteString("description", string.IsNullOrWhiteSpace(o.Summary) ? $"{o.Kind} observed for {o.SubjectKey}." : o.Summary);
        json.WriteStartArray("props");
        Prop(json, "evidence-kind", o.Kind);
        Prop(json, "item-id", o.ItemId);
        json.WriteEndArray();
        json.WriteStartArray("methods");
        json.WriteStringValue("TEST");
        json.WriteEndArray();
        json.WriteString("collected", Timestamps.Iso(o.Collected));
        if (o.Expires is { } expires)
        {
            json.WriteString("expires", Timestamps.Iso(expires));
        }

        json.WriteStartArray("relevant-evidence");
        json.WriteStartObject();
        json.WriteString("href", "#" + EvidenceUuid(o));
        json.WriteString("description", $"The evidence item as collected{(o.Sha256 is null ? "" : $" (SHA-256 {o.Sha256})")}: {o.Href}");
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>One finding; its related observations (one per item of the control: 100,000 in a large bundle) are flushed as they go.</summary>
    private static async Task WriteFindingAsync(Utf8JsonWriter json, string root, ControlResult control, IEnumerable<string> relatedItemIds, CancellationToken cancellationToken)
    {
        var token = ControlToken(control.Control.Id);
        var satisfied = control.Status is GapStatus.Ok or GapStatus.NotApplicable;
        json.WriteStartObject();
        json.WriteString("uuid", Uuid(root + "|finding|" + control.Control.Id));
        json.WriteString("title", $"{control.Control.Id} {control.Control.Title}");
        var reasons = control.Requirements.Select(r => $"{r.Requirement.Id}: {r.Status.ToName()} ({r.Reason})").ToList();
        json.WriteString("description", reasons.Count == 0 ? "No evidence requirement maps to this control." : string.Join(" ", reasons));
        json.WriteStartArray("props");
        Prop(json, "gap-status", control.Status.ToName());
        json.WriteEndArray();
        json.WriteStartObject("target");
        json.WriteString("type", "objective-id");
        json.WriteString("target-id", token);
        json.WriteStartObject("status");
        json.WriteString("state", satisfied ? "satisfied" : "not-satisfied");
        json.WriteEndObject();
        json.WriteEndObject();
        var any = false;
        foreach (var itemId in relatedItemIds)
        {
            if (!any)
            {
                json.WriteStartArray("related-observations");
                any = true;
            }

            json.WriteStartObject();
            json.WriteString("observation-uuid", Uuid("observation|" + itemId));
            json.WriteEndObject();
            await FlushIfFullAsync(json, cancellationToken).ConfigureAwait(false);
        }

        if (any)
        {
            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    private static string EvidenceUuid(OscalObservation o) => Uuid("evidence|" + o.ItemId);

    private static void Prop(Utf8JsonWriter json, string name, string value)
    {
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("ns", PropertyNamespace);
        json.WriteString("value", value);
        json.WriteEndObject();
    }

    private static async Task FlushIfFullAsync(Utf8JsonWriter json, CancellationToken cancellationToken)
    {
        if (json.BytesPending > 32 * 1024)
        {
            await json.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A name-based UUID (RFC 9562 version 5: SHA-1 of namespace and name), so identical input yields identical ids.</summary>
    internal static string Uuid(string name)
    {
        Span<byte> ns = stackalloc byte[16];
        UuidNamespace.TryWriteBytes(ns, bigEndian: true, out _);
        var data = new byte[16 + Encoding.UTF8.GetByteCount(name)];
        ns.CopyTo(data);
        Encoding.UTF8.GetBytes(name, data.AsSpan(16));
#pragma warning disable CA5350 // SHA-1 is what version 5 UUIDs are defined with; it names, it does not protect.
        var hash = SHA1.HashData(data);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString("D");
    }
}
