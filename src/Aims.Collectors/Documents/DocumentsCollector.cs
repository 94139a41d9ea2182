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
    private const long MaxRedactableBytes = 8 * 1024 * 1024;

    public string Source => source;

    public IReadOnlyList<string> Kinds => [EvidenceKinds.Document];

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
                LogMalformed(logger, relative, ex.Message);
                var partial = ex.DocumentType is null ? null : new JsonObject { ["documentType"] = ex.DocumentType, ["path"] = relative };
                await sink.ReportErrorAsync(subject, EvidenceKinds.Document, relative, $"malformed metadata: {ex.Message}", partial, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                LogUnreadable(logger, relative, ex.Message);
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

        var mediaType = DocumentSelection.MediaTypeOf(relative);
        var file = await files.OpenAsync(relative, cancellationToken).ConfigureAwait(false)
            ?? throw new IOException($"'{relative}' disappeared while it was being collected.");
        Evidence.Store.RawRef raw;
        await using (file.ConfigureAwait(false))
        {
            if (mediaType.StartsWith("text/", StringComparison.Ordinal) && file.Length <= MaxRedactableBytes)
            {
                using var buffer = new MemoryStream();
                await file.Content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                raw = await sink.PutRawAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), mediaType, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                raw = await sink.PutRawStreamAsync(file.Content, mediaType, cancellationToken).ConfigureAwait(false);
            }
        }

        await sink.EmitAsync(DocumentEvidence.Draft(metadata, relative, relative, file.Length, raw, mediaType), cancellationToken).ConfigureAwait(false);
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
