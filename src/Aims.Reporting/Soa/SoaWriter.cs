using System.Text;
using System.Text.Json;
using Aims.Evidence.Gaps;
using Aims.Reporting.Html;
using Aims.Reporting.IO;
using CsvHelper;
using static Aims.Reporting.Html.HtmlText;

namespace Aims.Reporting.Soa;

/// <summary>Writes a <see cref="StatementOfApplicability"/> as CSV (RFC 4180), JSON, self-contained HTML or Markdown.</summary>
public static class SoaWriter
{
    private static readonly CsvWriterOptions CsvOptions = new() { Injection = CsvInjection.Escape };

    /// <summary>The bundle file name of each format.</summary>
    public static string FileName(SoaFormat format) => format switch
    {
        SoaFormat.Csv => "soa.csv",
        SoaFormat.Json => "soa.json",
        SoaFormat.Html => "soa.html",
        _ => "soa.md",
    };

    public static Task WriteAsync(StatementOfApplicability soa, SoaFormat format, Stream output, CancellationToken cancellationToken = default) => format switch
    {
        SoaFormat.Csv => WriteCsvAsync(soa, output, cancellationToken),
        SoaFormat.Json => WriteJsonAsync(soa, output, cancellationToken),
        SoaFormat.Html => WriteHtmlAsync(soa, output, cancellationToken),
        _ => WriteMarkdownAsync(soa, output, cancellationToken),
    };

    private static string Applicability(SoaControl c) => c.Applicable ? "applicable" : "excluded";

    private static string Waivers(SoaControl c) =>
        string.Join("; ", c.Requirements.Where(r => r.Waiver is not null).Select(r => $"{r.Id} waived until {Timestamps.Day(r.Waiver!.Expires)}: {r.Waiver.Reason}"));

    /// <summary>
    /// Every evidence path of a control in one cell. Built in a <see cref="StringBuilder"/>'s small chunks: a string join
    /// grows one buffer rented from the shared pool, which at 100,000 items keeps arrays of tens of megabytes after it.
    /// </summary>
    private static string EvidenceCell(SoaControl c) => new StringBuilder().AppendJoin(' ', c.Evidence).ToString();

    private static async Task WriteCsvAsync(StatementOfApplicability soa, Stream output, CancellationToken cancellationToken)
    {
        var csv = CsvWriter.Create(output, CsvOptions, leaveOpen: true);
        await using (csv.ConfigureAwait(false))
        {
            await csv.WriteRecordAsync(["control_id", "title", "applicability", "justification", "status", "requirement_ids", "evidence_kinds", "waivers", "evidence", "finding"], cancellationToken).ConfigureAwait(false);
            foreach (var c in soa.Controls)
            {
                await csv.WriteRecordAsync(
                [
                    c.Control.Id, c.Control.Title, Applicability(c), c.Justification ?? (c.Stated ? "" : "(not stated: included by default)"), c.Status.ToName(),
                    string.Join(' ', c.Requirements.Select(r => r.Id)), string.Join(' ', c.Kinds), Waivers(c), EvidenceCell(c), c.Finding ?? "",
                ], cancellationToken).ConfigureAwait(false);
            }

            await csv.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task WriteJsonAsync(StatementOfApplicability soa, Stream output, CancellationToken cancellationToken)
    {
        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("organization", soa.Organization);
        json.WriteString("asOf", Timestamps.Iso(soa.AsOf));
        json.WriteNumber("findingCount", soa.Findings.Count());
        json.WriteStartArray("controls");
        foreach (var c in soa.Controls)
        {
            json.WriteStartObject();
            json.WriteString("id", c.Control.Id);
            json.WriteString("title", c.Control.Title);
            json.WriteBoolean("applicable", c.Applicable);
            json.WriteString("justification", c.Justification);
            json.WriteBoolean("stated", c.Stated);
            json.WriteString("status", c.Status.ToName());
            json.WriteStartArray("requirements");
            foreach (var r in c.Requirements)
            {
                json.WriteStartObject();
                json.WriteString("id", r.Id);
                json.WriteString("kind", r.Kind);
                json.WriteString("owner", r.Owner);
                json.WriteString("status", r.Status.ToName());
                if (r.Waiver is { } w)
                {
                    json.WriteStartObject("waiver");
                    json.WriteString("reason", w.Reason);
                    json.WriteString("expires", Timestamps.Iso(w.Expires));
                    json.WriteString("approvedBy", w.ApprovedBy);
                    json.WriteEndObject();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("evidence");
            foreach (var e in c.Evidence)
            {
                json.WriteStringValue(e);
                if (json.BytesPending > 32 * 1024)
                {
                    await json.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            json.WriteEndArray();
            json.WriteString("finding", c.Finding);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteMarkdownAsync(StatementOfApplicability soa, Stream output, CancellationToken cancellationToken)
    {
        await using var w = Writer(output);
        var sb = new StringBuilder()
            .Append("# Statement of Applicability: ").Append(Md(soa.Organization)).Append("\n\n")
            .Append("As of ").Append(Timestamps.Day(soa.AsOf)).Append(". ISO/IEC 42001 Annex A controls, clause 6.1.3 d.\n\n");
        foreach (var f in soa.Findings)
        {
            sb.Append("- **Finding:** ").Append(Md(f.Finding!)).Append('\n');
        }

        sb.Append("\n| Control | Title | Applicability | Justification | Status | Requirements (kinds) | Waivers | Evidence |\n|---|---|---|---|---|---|---|---|\n");
        foreach (var c in soa.Controls)
        {
            sb.Append("| ").Append(c.Control.Id).Append(" | ").Append(Md(c.Control.Title)).Append(" | ").Append(Applicability(c)).Append(" | ")
                .Append(Md(c.Justification ?? (c.Stated ? "(none)" : "(not stated: included by default)"))).Append(" | ").Append(c.Status.ToName()).Append(" | ")
                .Append(Md(string.Join(", ", c.Requirements.Select(r => $"{r.Id} ({r.Kind})")))).Append(" | ").Append(Md(Waivers(c))).Append(" | ");
            var first = true;
            foreach (var e in c.Evidence)
            {
                sb.Append(first ? "" : " ").Append(e.Contains('/') ? $"[{Md(ShortName(e))}]({e})" : Md(e));
                first = false;
                await FlushIfFullAsync(w, sb, cancellationToken).ConfigureAwait(false);
            }

            sb.Append(" |\n");
        }

        await w.WriteAsync(sb, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An evidence link's text: the first 12 characters of the file name (an item id's prefix).</summary>
    private static string ShortName(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        return name[..Math.Min(12, name.Length)];
    }

    /// <summary>UTF-8 without a byte order mark, left open: the SoA files are written through it as they are built.</summary>
    private static StreamWriter Writer(Stream output) => new(output, new UTF8Encoding(false), 16 * 1024, leaveOpen: true);

    /// <summary>Hands what is built so far to the writer once it is large, so an SoA listing many evidence files stays small in memory.</summary>
    private static async Task FlushIfFullAsync(StreamWriter w, StringBuilder sb, CancellationToken cancellationToken)
    {
        if (sb.Length > 32 * 1024)
        {
            await w.WriteAsync(sb, cancellationToken).ConfigureAwait(false);
            sb.Clear();
        }
    }

    private static string Md(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal)
        .Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);

    private static async Task WriteHtmlAsync(StatementOfApplicability soa, Stream output, CancellationToken cancellationToken)
    {
        await using var w = Writer(output);
        var title = $"Statement of Applicability: {soa.Organization}";
        var sb = new StringBuilder()
            .Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Encode(title)).Append("</title>\n<style>\n").Append(HtmlText.Css).Append("\n</style>\n</head>\n<body>\n<main>\n<h1>")
            .Append(Encode(title)).Append("</h1>\n<p>As of ").Append(Timestamps.Day(soa.AsOf)).Append(". ISO/IEC 42001 Annex A controls (clause 6.1.3 d).</p>\n");
        if (soa.Findings.Any())
        {
            sb.Append("<ul>\n");
            foreach (var f in soa.Findings)
            {
                sb.Append("<li><strong>Finding:</strong> ").Append(Encode(f.Finding)).Append("</li>\n");
            }

            sb.Append("</ul>\n");
        }

        sb.Append("<table>\n<thead><tr><th scope=\"col\">Control</th><th scope=\"col\">Title</th><th scope=\"col\">Applicability</th><th scope=\"col\">Justification</th>")
            .Append("<th scope=\"col\">Status</th><th scope=\"col\">Requirements (kinds)</th><th scope=\"col\">Waivers</th><th scope=\"col\">Evidence</th></tr></thead>\n<tbody>\n");
        foreach (var c in soa.Controls)
        {
            sb.Append("<tr><th scope=\"row\">").Append(Encode(c.Control.Id)).Append("</th><td>").Append(Encode(c.Control.Title)).Append("</td><td>").Append(Applicability(c))
                .Append("</td><td>").Append(Encode(c.Justification ?? (c.Stated ? "(none)" : "(not stated: included by default)"))).Append("</td><td>").Append(Status(c.Status))
                .Append("</td><td>").Append(Encode(string.Join(", ", c.Requirements.Select(r => $"{r.Id} ({r.Kind})")))).Append("</td><td>").Append(Encode(Waivers(c))).Append("</td><td>");
            foreach (var e in c.Evidence)
            {
                sb.Append(e.Contains('/') ? $"<a href=\"{Encode(e)}\">{Encode(ShortName(e))}</a> " : Encode(e) + " ");
                await FlushIfFullAsync(w, sb, cancellationToken).ConfigureAwait(false);
            }

            sb.Append("</td></tr>\n");
        }

        sb.Append("</tbody>\n</table>\n</main>\n</body>\n</html>\n");
        await w.WriteAsync(sb, cancellationToken).ConfigureAwait(false);
    }
}
