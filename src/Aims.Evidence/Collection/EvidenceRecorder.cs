using System.Text;
using System.Text.Json.Nodes;
using Aims.Evidence.Items;
using Aims.Evidence.Requirements;
using Aims.Evidence.Store;

namespace Aims.Evidence.Collection;

/// <summary>Identifies the collector in every item's <c>source</c>.</summary>
public sealed record CollectorIdentity(string System, string Instance, string Collector, string Version);

/// <summary>
/// The sink collectors write to during one job: completes drafts into items (deterministic id, observation time,
/// source, default controls, AI-system attribution), redacts secrets, seals them and stores them create-only.
/// </summary>
public sealed class EvidenceRecorder(
    IEvidenceStore store,
    CollectionJob job,
    CollectorIdentity identity,
    RequirementSet requirements,
    TimeProvider time,
    IAiSystemAttribution? attribution = null) : IEvidenceSink
{
    private readonly IAiSystemAttribution _attribution = attribution ?? NoAttribution.Instance;
    private int _created;
    private int _existing;
    private int _errors;

    public int Created => _created;

    public int AlreadyStored => _existing;

    public int Errors => _errors;

    public async Task<RawRef> PutRawAsync(ReadOnlyMemory<byte> content, string mediaType, CancellationToken cancellationToken = default)
    {
        var bytes = content;
        if (IsText(mediaType))
        {
            var text = Encoding.UTF8.GetString(content.Span);
            var redacted = SecretRedactor.RedactText(text, out var n);
            if (n > 0)
            {
                bytes = Encoding.UTF8.GetBytes(redacted);
            }
        }

        using var stream = new MemoryStream(bytes.ToArray(), writable: false);
        return await store.PutRawAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Streams a raw payload into the store. Text is redacted on the way, a block of whole lines at a time, through a
    /// temporary file, so a large export never sits in memory; binary content is stored as it is.
    /// </summary>
    public async Task<RawRef> PutRawStreamAsync(Stream content, string mediaType, CancellationToken cancellationToken = default)
    {
        if (!IsText(mediaType))
        {
            return await store.PutRawAsync(content, cancellationToken).ConfigureAwait(false);
        }

        var temp = Path.Combine(Path.GetTempPath(), "aims-raw-" + Path.GetRandomFileName());
        await using var spool = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        using (var reader = new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 81920, leaveOpen: true))
        await using (var writer = new StreamWriter(spool, new UTF8Encoding(false), 81920, leaveOpen: true))
        {
            var block = new StringBuilder();
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                block.Append(line).Append('\n');
                if (block.Length >= 1024 * 1024)
                {
                    await writer.WriteAsync(SecretRedactor.RedactText(block.ToString())).ConfigureAwait(false);
                    block.Clear();
                }
            }

            await writer.WriteAsync(SecretRedactor.RedactText(block.ToString())).ConfigureAwait(false);
        }

        spool.Position = 0;
        return await store.PutRawAsync(spool, cancellationToken).ConfigureAwait(false);
    }

    public Task<WriteOutcome> EmitAsync(EvidenceDraft draft, CancellationToken cancellationToken = default) =>
        EmitCoreAsync(draft, draft.Kind, cancellationToken);

    private async Task<WriteOutcome> EmitCoreAsync(EvidenceDraft draft, string idKind, CancellationToken cancellationToken)
    {
        var controls = draft.Controls.Count > 0
            ? draft.Controls
            : requirements.Requirements.Where(r => r.Kind == draft.Kind).SelectMany(r => r.Controls).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var facts = SecretRedactor.Redact(draft.Facts);
        var subject = Attribute(draft.Subject, facts);
        var item = EvidenceItemJson.Seal(new EvidenceItem
        {
            Id = ItemIds.For(job.RunId, job.JobId, subject, idKind),
            Kind = draft.Kind,
            Controls = controls,
            Subject = subject,
            Source = new EvidenceSource(identity.System, identity.Instance, SecretRedactor.RedactText(draft.Locator), identity.Collector, identity.Version),
            RunId = job.RunId,
            JobId = job.JobId,
            ObservedAt = time.GetUtcNow(),
            Period = draft.Period,
            EvidenceDate = draft.EvidenceDate,
            Summary = SecretRedactor.RedactText(draft.Summary),
            Facts = facts,
            RawSha256 = draft.Raw?.Sha256,
            RawMediaType = draft.Raw is null ? null : draft.RawMediaType,
        });
        var outcome = await store.PutItemAsync(item, cancellationToken).ConfigureAwait(false);
        if (outcome == WriteOutcome.Created)
        {
            Interlocked.Increment(ref _created);
        }
        else
        {
            Interlocked.Increment(ref _existing);
        }

        return outcome;
    }

    public Task<WriteOutcome> ReportErrorAsync(Subject subject, string attemptedKind, string locator, string error, JsonObject? partialFacts = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _errors);
        var facts = partialFacts?.DeepClone().AsObject() ?? [];
        facts["attemptedKind"] = attemptedKind;
        facts["error"] = error;
        facts["source"] = job.Source;
        var controls = requirements.Requirements.Where(r => r.Kind == attemptedKind).SelectMany(r => r.Controls).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var draft = new EvidenceDraft
        {
            Kind = EvidenceKinds.CollectorError,
            Subject = subject,
            Locator = locator,
            Summary = $"{job.Source} could not collect {attemptedKind} for {subject.DisplayName}: {error}",
            Facts = facts,
            Controls = controls,
            Period = job.Period,
        };

        // One error item per attempted kind and subject: the attempted kind is part of the id.
        return EmitCoreAsync(draft, $"{EvidenceKinds.CollectorError}:{attemptedKind}", cancellationToken);
    }

    private Subject Attribute(Subject subject, JsonObject facts)
    {
        var systems = _attribution.AttributeTo(subject, facts);
        return systems.Count == subject.AiSystemIds.Count && systems.SequenceEqual(subject.AiSystemIds)
            ? subject
            : subject with { AiSystems = systems.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray() };
    }

    /// <summary>
    /// Text media types (redacted line by line). Structured-syntax types count only as a whole subtype or a <c>+suffix</c>:
    /// Office documents (<c>application/vnd.openxmlformats-…</c>) are zip archives, and decoding them as text would corrupt them.
    /// </summary>
    private static bool IsText(string mediaType)
    {
        var type = mediaType.Split(';', 2)[0].Trim();
        return type.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            || new[] { "json", "xml", "yaml", "x-yaml" }.Any(s =>
                type.EndsWith("/" + s, StringComparison.OrdinalIgnoreCase) || type.EndsWith("+" + s, StringComparison.OrdinalIgnoreCase));
    }
}
