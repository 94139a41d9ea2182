using System.Text.Encodings.Web;
using Aims.Evidence.Gaps;

namespace Aims.Reporting.Html;

/// <summary>
/// Encoding and the shared look of the generated pages. Every piece of text from evidence (subject names, reasons,
/// document titles) is untrusted and goes through <see cref="Encode"/>; nothing is ever written raw.
/// </summary>
internal static class HtmlText
{
    public static string Encode(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    /// <summary>A status as text in a tinted box: the word carries the meaning, the colour only repeats it.</summary>
    public static string Status(GapStatus status) => $"<span class=\"status s-{status.ToName()}\">{status.ToName()}</span>";

    /// <summary>
    /// Inline styles, so a page renders offline and from inside a zip. Every text/background pair keeps a contrast
    /// ratio above 7:1 (WCAG AAA), so statuses stay legible when printed in grey.
    /// </summary>
    public const string Css = """
        :root{color-scheme:light}
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Liberation Sans",Arial,sans-serif;margin:0;color:#1a1a1a;background:#fff;line-height:1.45}
        header,main,footer{max-width:80rem;margin:0 auto;padding:0 1rem}
        header{border-bottom:2px solid #1a1a1a;margin-bottom:1rem}
        h1{font-size:1.7rem;margin:1rem 0 .5rem}
        h2{font-size:1.35rem;margin:2rem 0 .5rem;border-bottom:1px solid #8a8a8a}
        h3{font-size:1.1rem;margin:1.4rem 0 .4rem}
        h4{font-size:1rem;margin:1rem 0 .3rem}
        table{border-collapse:collapse;width:100%;margin:.4rem 0 1.2rem}
        caption{text-align:left;font-weight:600;padding:.2rem 0}
        th,td{border:1px solid #8a8a8a;padding:.3rem .5rem;text-align:left;vertical-align:top}
        thead th{background:#ececec}
        td.num,th.num{text-align:right}
        dl.facts{display:grid;grid-template-columns:max-content auto;gap:.1rem 1rem;margin:.4rem 0}
        dl.facts dt{font-weight:600}
        dl.facts dd{margin:0}
        .status{display:inline-block;padding:0 .4rem;border:1px solid currentColor;border-radius:.25rem;font-weight:600;white-space:nowrap}
        .s-missing{color:#7a0000;background:#fde2e2}
        .s-failing{color:#7a1f00;background:#ffe7d9}
        .s-stale{color:#5e3600;background:#fff0c7}
        .s-collector-error{color:#4b1f7a;background:#efe6fb}
        .s-expiring{color:#4f4000;background:#fff8d1}
        .s-ok{color:#0b4f1c;background:#def5e5}
        .s-not-applicable{color:#333;background:#ededed}
        .muted{color:#4a4a4a}
        code{font-family:ui-monospace,"Cascadia Mono","Liberation Mono",Consolas,monospace;font-size:.9em;word-break:break-all}
        a{color:#0645ad}
        a:visited{color:#4b2a85}
        """;
}
