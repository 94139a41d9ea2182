using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using Aims.Evidence;
using Aims.Evidence.Collection;
using Aims.Evidence.Items;
using Microsoft.Extensions.Logging;

namespace Aims.Collectors.Documents;

/// <summary>
/// Collects governed documents from a folder: Markdown files carry YAML front matter; any other file (PDF, DOCX...)
/// is described by a sidecar <c>{file}.aims.yaml</c>. Each yields one <c>document</c> item whose raw payload is the
/// file itself. A malformed file is reported on its own and never stops the rest.
/// </summary>
public sealed partial class DocumentsCollector(string root, string instanceName, ILogger<DocumentsCollector> logger) : IEvidenceCollector
{
    public const string SidecarSuffix = ".aims.yaml";
    private const int FilesPerJob = 200;
    private const int MaxFrontMatterBytes = 64 * 1024;

    private readonly DocumentFolder _folder = new(root);

    public string Source => "Documents";

    public IReadOnlyList<string> Kinds => [EvidenceKinds.Document];

    /// <summary>The instance is the folder as configured (relative to the configuration), not this machine's absolute path.</summary>
    public CollectorIdentity Identity => new("documents", instanceName, "documents", ProductVersion.Current);

    public async IAsyncEnumerable<CollectionJob> PlanAsync(CollectionPlan plan, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(_folder.Root))
        {
            yield return new CollectionJob(plan.RunId, "documents:0001", Source, plan.Period, new Dictionary<string, string>
            {
                ["files"] = "",
                ["planError"] = $"the documents folder '{_folder.Root}' does not exist",
            });
            yield break;
        }

        var files = EnumerateDocuments().Order(StringComparer.Ordinal).ToList();
        var number = 0;
        foreach (var chunk in files.Chunk(FilesPerJob))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new CollectionJob(plan.RunId, $"documents:{++number:D4}", Source, plan.Period, new Dictionary<string, string> { ["files"] = string.Join('\n', chunk) });
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public async Task CollectAsync(CollectionJob job, IEvidenceSink sink, CancellationToken cancellationToken = default)
    {
        if (job.Parameter("planError") is { Length: > 0 } planError)
        {
            await sink.ReportErrorAsync(new Subject("source", "documents", instanceName), EvidenceKinds.Document, _folder.Root, planError, cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        var files = (job.Parameter("files") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var relative in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var subject = new Subject("document", relative, relative);
            try
            {
                await CollectOneAsync(relative, sink, cancellationToken).ConfigureAwait(false);
            }
            catch (DocumentMetadataException ex)
            {
                LogMalformed(logger, SecretRedactor.RedactText(relative), SecretRedactor.RedactText(ex.Message));
                var partial = new JsonObject { ["path"] = relative };
                if (ex.DocumentType is not null)
                {
                    partial["documentType"] = ex.DocumentType;
                }

                if (ex.Controls.Count > 0)
                {
                    partial["controls"] = new JsonArray(ex.Controls.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray());
                }

                await sink.ReportErrorAsync(subject, EvidenceKinds.Document, relative, $"malformed metadata: {ex.Message}", partial, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                LogUnreadable(logger, SecretRedactor.RedactText(relative), SecretRedactor.RedactText(ex.Message));
                await sink.ReportErrorAsync(subject, EvidenceKinds.Document, relative, ex.Message, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task CollectOneAsync(string relative, IEvidenceSink sink, CancellationToken cancellationToken)
    {
        var path = _folder.Resolve(relative);
        var sidecar = path + SidecarSuffix;
        DocumentMetadata metadata;
        if (File.Exists(sidecar))
        {
            metadata = DocumentMetadata.Parse(await File.ReadAllTextAsync(sidecar, cancellationToken).ConfigureAwait(false));
            if (!File.Exists(path))
            {
                throw new DocumentMetadataException($"the sidecar {relative}{SidecarSuffix} describes '{relative}', which does not exist", metadata.DocumentType);
            }
        }
        else if (ReadFrontMatter(path) is { } frontMatter)
        {
            metadata = frontMatter;
        }
        else
        {
            // Markdown without front matter (a README, notes) is not a governed document.
            LogSkipped(logger, relative);
            return;
        }

        var mediaType = DocumentMediaType.Of(path);
        RawPayload raw;
        await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true))
        {
            raw = await sink.PutRawStreamAsync(stream, mediaType, cancellationToken).ConfigureAwait(false);
        }

        var title = metadata.Title.Length > 0 ? metadata.Title : Path.GetFileName(relative);
        var facts = metadata.ToFacts(relative, raw.OriginalLength);
        facts["sha256"] = raw.OriginalSha256;
        if (raw.Redacted)
        {
            // The stored copy differs from the file: say so, and keep both hashes so either can be matched.
            facts["redacted"] = true;
            facts["redactions"] = raw.Redactions;
            facts["storedSha256"] = raw.Sha256;
        }

        await sink.EmitAsync(new EvidenceDraft
        {
            Kind = EvidenceKinds.Document,
            Subject = new Subject("document", relative, title, metadata.AiSystems),
            Locator = relative,
            Summary = $"{metadata.DocumentType} '{title}'" + (metadata.ApprovedOn is { } on ? $", approved {on:yyyy-MM-dd}" + (metadata.ApprovedBy is { } by ? $" by {by}" : "") : ", no approval recorded"),
            Facts = facts,
            Controls = metadata.Controls,
            EvidenceDate = metadata.ApprovedOn,
            Raw = raw,
            RawMediaType = mediaType,
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the YAML between the opening and closing <c>---</c> lines at the top of a Markdown file; null when there is none.</summary>
    private static DocumentMetadata? ReadFrontMatter(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var first = reader.ReadLine();
        if (first?.TrimEnd() != "---")
        {
            return null;
        }

        var yaml = new StringBuilder();
        var read = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.TrimEnd() is "---" or "...")
            {
                return DocumentMetadata.Parse(yaml.ToString(), lineOffset: 1);
            }

            read += line.Length + 1;
            if (read > MaxFrontMatterBytes)
            {
                break;
            }

            yaml.AppendLine(line);
        }

        throw new DocumentMetadataException("the front matter is not closed with a '---' line", null);
    }

    /// <summary>Files that are documents: Markdown files (front matter) and files with a sidecar; hidden files are ignored.</summary>
    private IEnumerable<string> EnumerateDocuments()
    {
        var all = _folder.EnumerateFiles().ToHashSet(StringComparer.Ordinal);
        foreach (var relative in all)
        {
            if (relative.EndsWith(SidecarSuffix, StringComparison.OrdinalIgnoreCase))
            {
                // A sidecar whose file is missing is still planned, so the gap is reported.
                var target = relative[..^SidecarSuffix.Length];
                if (!all.Contains(target))
                {
                    yield return target;
                }

                continue;
            }

            if (relative.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || all.Contains(relative + SidecarSuffix) || _folder.LeavesRoot(relative))
            {
                // A link that leaves the folder is planned whatever its name, so that reading it reports it.
                yield return relative;
            }
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Document {Path} has malformed metadata: {Reason}")]
    private static partial void LogMalformed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Markdown file {Path} has no front matter and is not collected as a document")]
    private static partial void LogSkipped(ILogger logger, string path);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Document {Path} could not be read: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string path, string reason);
}
