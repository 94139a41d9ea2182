using System.Globalization;
using Aims.Evidence.Gaps;
using CsvHelper;

namespace Aims.Reporting.Bundle;

/// <summary>controls.csv: one row per control in scope with its status, its requirements and how many bundled items it has.</summary>
internal static class ControlsCsvWriter
{
    // RFC 4180 (CRLF, quoted when needed); a field that a spreadsheet would run as a formula is written as text.
    private static readonly CsvWriterOptions Options = new() { Injection = CsvInjection.Escape };

    public static async Task WriteAsync(Stream output, IReadOnlyList<ControlResult> controls, IReadOnlyDictionary<string, int> itemCounts, CancellationToken cancellationToken)
    {
        var csv = CsvWriter.Create(output, Options, leaveOpen: true);
        await using (csv.ConfigureAwait(false))
        {
            await csv.WriteRecordAsync(["control_id", "title", "type", "status", "requirement_ids", "item_count"], cancellationToken).ConfigureAwait(false);
            foreach (var control in controls)
            {
                await csv.WriteRecordAsync(
                [
                    control.Control.Id,
                    control.Control.Title,
                    control.Control.TypeName,
                    control.Status.ToName(),
                    string.Join(' ', control.Requirements.Select(r => r.Requirement.Id)),
                    itemCounts.GetValueOrDefault(control.Control.Id).ToString(CultureInfo.InvariantCulture),
                ], cancellationToken).ConfigureAwait(false);
            }

            await csv.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
