using System.Text.Json;
using System.Text.Json.Nodes;
using Aims.Reporting.IO;

namespace Aims.Reporting.Bundle;

/// <summary>A ledger checkpoint a bundle relies on: the ledger proof of its segment runs through its sequence.</summary>
public sealed record BundleCheckpointRef(string Segment, long Sequence, string HeadHash, string Path, string PublicKeySha256);

/// <summary>Who signed a bundle: the key id and the fingerprint (SHA-256 of the public key's DER) to pin.</summary>
public sealed record BundleSigning(string KeyId, string PublicKeySha256);

/// <summary>
/// manifest.json: what the bundle was built from, every file in it (except itself, SHA256SUMS and the signature files)
/// with size and SHA-256, the ledger checkpoints it relies on, and the key that signs it.
/// </summary>
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
    public const int FormatVersion = 2;

    /// <summary>How the control filter chose evidence: the controls recorded in each item, or the current requirements' mapping of its kind.</summary>
    public const string RecordedOrMapped = "recorded-or-current-mapping";

    public string ControlFilterBasis { get; init; } = RecordedOrMapped;

    public IReadOnlyList<BundleCheckpointRef> Checkpoints { get; init; } = [];

    public BundleSigning? Signing { get; init; }

    private const string SigningAlgorithm = "ES256";

    public Task WriteAsync(Stream output, CancellationToken cancellationToken = default) => WriteAsync(output, Files, cancellationToken);

    /// <summary>Writes the manifest with <paramref name="files"/> as its file list, streamed as it is enumerated (a bundle spools it).</summary>
    internal async Task WriteAsync(Stream output, IEnumerable<BundleFile> files, CancellationToken cancellationToken)
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

        json.WriteString("controlFilterBasis", ControlFilterBasis);
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
        if (Signing is null)
        {
            json.WriteNull("signing");
        }
        else
        {
            json.WriteStartObject("signing");
            json.WriteString("algorithm", SigningAlgorithm);
            json.WriteString("keyId", Signing.KeyId);
            json.WriteString("publicKeySha256", Signing.PublicKeySha256);
            json.WriteString("signatures", $"{BundleLayout.Sha256SumsSignature}, {BundleLayout.ManifestSignature}");
            json.WriteString("publicKey", BundleLayout.SigningKey);
            json.WriteEndObject();
        }

        json.WriteStartArray("checkpoints");
        foreach (var c in Checkpoints)
        {
            json.WriteStartObject();
            json.WriteString("segment", c.Segment);
            json.WriteNumber("sequence", c.Sequence);
            json.WriteString("headHash", c.HeadHash);
            json.WriteString("path", c.Path);
            json.WriteString("publicKeySha256", c.PublicKeySha256);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("files");
        foreach (var file in files)
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
    public static Task<BundleManifest> ReadAsync(Stream input, CancellationToken cancellationToken = default) => ReadAsync(input, null, cancellationToken);

    /// <summary>
    /// Reads a manifest, handing each listed file to <paramref name="eachFile"/> instead of keeping the list (the verifier
    /// keeps a compact form of it); <see cref="Files"/> is then empty.
    /// </summary>
    internal static Task<BundleManifest> ReadAsync(Stream input, Action<BundleFile>? eachFile, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Read(input, eachFile));
    }

    /// <summary>
    /// Reads a manifest as it streams: the file list (which grows with the bundle) is handed on file by file, and only
    /// the rest of the document (a few fields) is built and read as a whole.
    /// </summary>
    internal static BundleManifest Read(Stream input, Action<BundleFile>? eachFile)
    {
        var files = new List<BundleFile>();
        var sawFiles = false;
        var rest = new JsonObject();
        try
        {
            var json = new JsonTokenStream(input);
            json.Expect(JsonTokenType.StartObject, "manifest.json");
            while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
            {
                var name = json.Text!;
                if (name != "files")
                {
                    rest[name] = json.ReadNode();
                    continue;
                }

                sawFiles = true;
                json.Expect(JsonTokenType.StartArray, "manifest.json: 'files'");
                while (json.Read() && json.TokenType != JsonTokenType.EndArray)
                {
                    var file = ReadFile(json);
                    if (eachFile is null)
                    {
                        files.Add(file);
                    }
                    else
                    {
                        eachFile(file);
                    }
                }
            }

            if (json.Read())
            {
                throw new JsonException("manifest.json has more after its object.");
            }
        }
        catch (JsonException ex)
        {
            throw new FormatException($"manifest.json is not valid JSON: {ex.Message}", ex);
        }

        if (!sawFiles)
        {
            throw new FormatException("manifest.json is missing a field or has one of the wrong type (no 'files').");
        }

        var doc = JsonDocument.Parse(rest.ToJsonString());

        using (doc)
        {
            var root = doc.RootElement;
            try
            {
                if (root.GetProperty("format").GetString() != FormatName)
                {
                    throw new FormatException($"manifest.json: 'format' is not '{FormatName}'.");
                }

                if (root.GetProperty("formatVersion").GetInt32() != FormatVersion)
                {
                    throw new FormatException($"manifest.json: 'formatVersion' is not {FormatVersion} (this verifier reads version {FormatVersion} bundles).");
                }

                var generator = root.GetProperty("generator");
                var period = root.GetProperty("period");
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
                    files)
                {
                    ControlFilterBasis = root.GetProperty("controlFilterBasis").GetString()!,
                    Signing = root.GetProperty("signing").ValueKind == JsonValueKind.Null
                        ? null
                        : new BundleSigning(root.GetProperty("signing").GetProperty("keyId").GetString()!, root.GetProperty("signing").GetProperty("publicKeySha256").GetString()!),
                    Checkpoints = root.GetProperty("checkpoints").EnumerateArray()
                        .Select(c => new BundleCheckpointRef(c.GetProperty("segment").GetString()!, c.GetProperty("sequence").GetInt64(), c.GetProperty("headHash").GetString()!,
                            c.GetProperty("path").GetString()!, c.GetProperty("publicKeySha256").GetString()!))
                        .ToList(),
                };
            }
            catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new FormatException($"manifest.json is missing a field or has one of the wrong type ({ex.Message}).", ex);
            }
        }
    }

    /// <summary>One entry of the file list, at its opening brace: path, size and SHA-256, in any order.</summary>
    private static BundleFile ReadFile(JsonTokenStream json)
    {
        if (json.TokenType != JsonTokenType.StartObject)
        {
            throw new FormatException("manifest.json is missing a field or has one of the wrong type (a 'files' entry is not an object).");
        }

        string? path = null;
        string? sha256 = null;
        long? size = null;
        while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
        {
            switch (json.Text)
            {
                case "path":
                    json.Expect(JsonTokenType.String, "manifest.json: a file's 'path'");
                    path = json.Text;
                    break;
                case "sha256":
                    json.Expect(JsonTokenType.String, "manifest.json: a file's 'sha256'");
                    sha256 = json.Text;
                    break;
                case "size":
                    json.Expect(JsonTokenType.Number, "manifest.json: a file's 'size'");
                    size = long.TryParse(json.Text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value)
                        ? value
                        : throw new FormatException($"manifest.json: a file's 'size' ({json.Text}) is not a whole number.");
                    break;
                default:
                    json.SkipValue();
                    break;
            }
        }

        return path is not null && sha256 is not null && size is { } known
            ? new BundleFile(path, known, sha256)
            : throw new FormatException("manifest.json is missing a field or has one of the wrong type (a file without 'path', 'size' or 'sha256').");
    }
}
