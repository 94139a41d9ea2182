using System.Text.Json;
using Aims.Reporting.IO;

namespace Aims.Reporting.Bundle;

/// <summary>manifest.json: what the bundle was built from and every file in it (except itself and SHA256SUMS).</summary>
public sealed record BundleManifest(
    string GeneratorName,
    string GeneratorVersion,
    DateTimeOffset CreatedAt,
    string Organization,
    DateTimeOffset PeriodFrom,
    DateTimeOffset PeriodTo,
    IReadOnlyList<string> Controls,
    string? AiSystem,
    DateTimeOffset ReportAsOf,
    int ItemCount,
    int RawCount,
    long LedgerEntryCount,
    IReadOnlyList<BundleFile> Files)
{
    public const string FormatName = "aims-evidence-bundle";
    public const int FormatVersion = 1;

    public async Task WriteAsync(Stream output, CancellationToken cancellationToken = default)
    {
        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("format", FormatName);
        json.WriteNumber("formatVersion", FormatVersion);
        json.WriteStartObject("generator");
        json.WriteString("name", GeneratorName);
        json.WriteString("version", GeneratorVersion);
        json.WriteEndObject();
        json.WriteString("createdAt", Timestamps.Iso(CreatedAt));
        json.WriteString("organization", Organization);
        json.WriteStartObject("period");
        json.WriteString("from", Timestamps.Iso(PeriodFrom));
        json.WriteString("to", Timestamps.Iso(PeriodTo));
        json.WriteEndObject();
        if (Controls.Count == 0)
        {
            json.WriteNull("controls");
        }
        else
        {
            json.WriteStartArray("controls");
            foreach (var control in Controls)
            {
                json.WriteStringValue(control);
            }

            json.WriteEndArray();
        }

        if (AiSystem is null)
        {
            json.WriteNull("aiSystem");
        }
        else
        {
            json.WriteString("aiSystem", AiSystem);
        }

        json.WriteString("gapAnalysisAsOf", Timestamps.Iso(ReportAsOf));
        json.WriteNumber("itemCount", ItemCount);
        json.WriteNumber("rawCount", RawCount);
        json.WriteNumber("ledgerEntryCount", LedgerEntryCount);
        json.WriteStartArray("files");
        foreach (var file in Files)
        {
            json.WriteStartObject();
            json.WriteString("path", file.Path);
            json.WriteNumber("size", file.Size);
            json.WriteString("sha256", file.Sha256);
            json.WriteEndObject();
            if (json.BytesPending > 32 * 1024)
            {
                await json.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a manifest. Throws <see cref="FormatException"/> naming the missing or malformed field.</summary>
    public static async Task<BundleManifest> ReadAsync(Stream input, CancellationToken cancellationToken = default)
    {
        JsonDocument doc;
        try
        {
            doc = await JsonDocument.ParseAsync(input, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"manifest.json is not valid JSON: {ex.Message}", ex);
        }

        using (doc)
        {
            var root = doc.RootElement;
            try
            {
                if (root.GetProperty("format").GetString() != FormatName)
                {
                    throw new FormatException($"manifest.json: 'format' is not '{FormatName}'.");
                }

                var generator = root.GetProperty("generator");
                var period = root.GetProperty("period");
                var files = root.GetProperty("files").EnumerateArray()
                    .Select(f => new BundleFile(f.GetProperty("path").GetString()!, f.GetProperty("size").GetInt64(), f.GetProperty("sha256").GetString()!))
                    .ToList();
                var controls = root.GetProperty("controls").ValueKind == JsonValueKind.Array
                    ? root.GetProperty("controls").EnumerateArray().Select(c => c.GetString()!).ToArray()
                    : [];
                return new BundleManifest(
                    generator.GetProperty("name").GetString()!,
                    generator.GetProperty("version").GetString()!,
                    root.GetProperty("createdAt").GetDateTimeOffset(),
                    root.GetProperty("organization").GetString()!,
                    period.GetProperty("from").GetDateTimeOffset(),
                    period.GetProperty("to").GetDateTimeOffset(),
                    controls,
                    root.GetProperty("aiSystem").ValueKind == JsonValueKind.Null ? null : root.GetProperty("aiSystem").GetString(),
                    root.GetProperty("gapAnalysisAsOf").GetDateTimeOffset(),
                    root.GetProperty("itemCount").GetInt32(),
                    root.GetProperty("rawCount").GetInt32(),
                    root.GetProperty("ledgerEntryCount").GetInt64(),
                    files);
            }
            catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new FormatException($"manifest.json is missing a field or has one of the wrong type ({ex.Message}).", ex);
            }
        }
    }
}
