using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Aims.Evidence;
using Aims.Evidence.Collection;
using Aims.Evidence.Items;
using Microsoft.Extensions.Logging;

namespace Aims.Collectors.Documents;

/// <summary>
/// Collects governed documents from a place (<see cref="IDocumentFiles"/>: a folder, a blob container): Markdown files
/// carry YAML front matter; any other file (PDF, DOCX...) is described by a sidecar <c>{file}.aims.yaml</c>. Each
/// yields one <c>document</c> item whose raw payload is the file itself. A malformed file is reported on its own and
/// never stops the rest.
/// </summary>
/// <param name="source">The source name jobs are routed by (<c>Documents</c>, <c>DocumentsBlob</c>).</param>
public sealed partial class DocumentsCollector(IDocumentFiles files, string source, string instanceName, ILogger<DocumentsCollector> logger) : IEvidenceCollector
{
    public const string SidecarSuffix = DocumentSelection.SidecarSuffix;
    private const int FilesPerJob = 200;

    public string Source => source;

    public IReadOnlyList<string> Kinds => [EvidenceKinds.Document];

    /// <summary>The instance is the place as configured (a folder relative to the configuration, a container), not this machine's absolute path.</summary>
    public CollectorIdentity Identity => new("documents", instanceName, source.ToLowerInvariant(), ProductVersion.Current);

    public async IAsyncEnumerable<CollectionJob> PlanAsync(CollectionPlan plan, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var prefix = source.ToLowerInvariant();
        var listed = new List<string>();
        string? planError = null;
        try
        {
            await foreach (var file in files.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                listed.Add(file);
            }
        }
        catch (DocumentFilesException ex)
        {
            planError = ex.Message;
        }

        if (planError is not null)
        {
            yield return new CollectionJob(plan.RunId, $"{prefix}:0001", Source, plan.Period, new Dictionary<string, string>
            {
                ["files"] = "",
                ["planError"] = planError,
            });
            yield break;
        }

        var number = 0;
        foreach (var chunk in DocumentSelection.Select(listed).Chunk(FilesPerJob))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new CollectionJob(plan.RunId, $"{prefix}:{++number:D4}", Source, plan.Period, new Dictionary<string, string> { ["files"] = string.Join('\n', chunk) });
        }
    }

    public async Task CollectAsync(CollectionJob job, IEvidenceSink sink, CancellationToken cancellationToken = default)
    {
        if (job.Parameter("planError") is { Length: > 0 } planError)
        {
            await sink.ReportErrorAsync(new Subject("source", "documents", instanceName), EvidenceKinds.Document, files.Description, planError, cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        var relatives = (job.Parameter("files") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var relative in relatives)
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
                    // The error stands for the controls the document meant to evidence, not for every document control.
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
        var metadata = await ReadMetadataAsync(relative, cancellationToken).ConfigureAwait(false);
        if (metadata is null)
        {
            // Markdown without front matter (a README, notes) is not a governed document.
            LogSkipped(logger, relative);
            return;
        }

        var mediaType = await MediaTypeAsync(relative, cancellationToken).ConfigureAwait(false);
        var file = await files.OpenAsync(relative, cancellationToken).ConfigureAwait(false)
            ?? throw new IOException($"'{relative}' disappeared while it was being collected.");
        RawPayload raw;
        await using (file.ConfigureAwait(false))
        {
            // Streamed whatever the size: the recorder keeps the original bytes unless a secret had to be masked.
            raw = await sink.PutRawStreamAsync(file.Content, mediaType, cancellationToken).ConfigureAwait(false);
        }

        var draft = DocumentEvidence.Draft(metadata, relative, relative, raw.OriginalLength, raw, mediaType);
        draft.Facts["sha256"] = raw.OriginalSha256;
        if (raw.Redacted)
        {
            // The stored copy differs from the file: say so, and keep both hashes so either can be matched.
            draft.Facts["redacted"] = true;
            draft.Facts["redactions"] = raw.Redactions;
            draft.Facts["storedSha256"] = raw.Sha256;
        }

        await sink.EmitAsync(draft, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The media type from the extension for PDF and Office files, else from the first bytes (text or not).</summary>
    private async Task<string> MediaTypeAsync(string relative, CancellationToken cancellationToken)
    {
        if (DocumentMediaType.ByExtension(relative) is { } known && !DocumentMediaType.IsText(known))
        {
            return known;
        }

        var file = await files.OpenAsync(relative, cancellationToken).ConfigureAwait(false)
            ?? throw new IOException($"'{relative}' disappeared while it was being collected.");
        await using (file.ConfigureAwait(false))
        {
            var sample = new byte[DocumentMediaType.SampleBytes];
            var length = await file.Content.ReadAtLeastAsync(sample, sample.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            return DocumentMediaType.Of(relative, sample.AsSpan(0, length), complete: length < sample.Length);
        }
    }

    /// <summary>The sidecar's metadata when there is one, else the front matter of a Markdown file; null when neither.</summary>
    private async Task<DocumentMetadata?> ReadMetadataAsync(string relative, CancellationToken cancellationToken)
    {
        var sidecar = await files.OpenAsync(relative + SidecarSuffix, cancellationToken).ConfigureAwait(false);
        if (sidecar is not null)
        {
            DocumentMetadata metadata;
            await using (sidecar.ConfigureAwait(false))
            {
                using var reader = new StreamReader(sidecar.Content);
                metadata = DocumentMetadata.Parse(await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false));
            }

            var target = await files.OpenAsync(relative, cancellationToken).ConfigureAwait(false);
            if (target is null)
            {
                throw new DocumentMetadataException($"the sidecar {relative}{SidecarSuffix} describes '{relative}', which does not exist", metadata.DocumentType);
            }

            await target.DisposeAsync().ConfigureAwait(false);
            return metadata;
        }

        var document = await files.OpenAsync(relative, cancellationToken).ConfigureAwait(false)
            ?? throw new IOException($"'{relative}' does not exist.");
        await using (document.ConfigureAwait(false))
        {
            return await FrontMatter.ReadAsync(document.Content, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Document {Path} has malformed metadata: {Reason}")]
    private static partial void LogMalformed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Markdown file {Path} has no front matter and is not collected as a document")]
    private static partial void LogSkipped(ILogger logger, string path);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Document {Path} could not be read: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string path, string reason);
}
