using System.Runtime.InteropServices;
using System.Security.Cryptography;
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
/// <param name="batchSize">
/// 1 (the default) stores each item before <see cref="EmitAsync"/> returns. More hands the store batches of that many
/// sealed items (<see cref="IEvidenceStore.PutItemsAsync"/>: far fewer round trips per item on Azure); emits then
/// return <see cref="WriteOutcome.Deferred"/> until the batch is written, and whoever runs the job must call
/// <see cref="FlushAsync"/> at its end, before checkpoints are signed or the job is reported done.
/// </param>
public sealed class EvidenceRecorder(
    IEvidenceStore store,
    CollectionJob job,
    CollectorIdentity identity,
    RequirementSet requirements,
    TimeProvider time,
    IAiSystemAttribution? attribution = null,
    int batchSize = 1) : IEvidenceSink
{
    /// <summary>The batch size a pipeline job uses: a job's items usually fit one batch, so one flush at its end.</summary>
    public const int JobBatchSize = 100;

    private readonly List<EvidenceItem> _batch = [];
    private readonly int _batchSize = batchSize >= 1 ? batchSize : throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be at least 1.");

    /// <summary>
    /// The clock's now at the precision items are stored with (milliseconds), so the item in memory, its stored form,
    /// its ledger entry and its index row all name the same instant.
    /// </summary>
    private DateTimeOffset ObservationTime()
    {
        var now = time.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
    }

    private readonly IAiSystemAttribution _attribution = attribution ?? NoAttribution.Instance;
    private readonly RedactionVerdicts _verdicts = new(store);
    private int _created;
    private int _existing;
    private int _errors;

    public int Created => _created;

    public int AlreadyStored => _existing;

    public int Errors => _errors;

    /// <summary>
    /// Stores a payload held in memory. Text is redacted first, unless the store holds a verdict that this redactor found
    /// nothing to mask in these exact bytes (<see cref="RedactionVerdicts"/>): an unchanged re-run hands over the same
    /// payloads, and scanning them was the largest piece of its work.
    /// </summary>
    public async Task<RawPayload> PutRawAsync(ReadOnlyMemory<byte> content, string mediaType, CancellationToken cancellationToken = default)
    {
        var original = Convert.ToHexStringLower(SHA256.HashData(content.Span));
        var bytes = content;
        var redactions = 0;
        var scannedClean = false;
        if (IsText(mediaType) && !await _verdicts.IsCleanAsync(original, cancellationToken).ConfigureAwait(false))
        {
            var redacted = SecretRedactor.RedactText(Encoding.UTF8.GetString(content.Span), out redactions);
            if (redactions > 0)
            {
                bytes = Encoding.UTF8.GetBytes(redacted);
            }

            scannedClean = redactions == 0;
        }

        using var stream = MemoryMarshal.TryGetArray(bytes, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(bytes.ToArray(), writable: false);
        var stored = await store.PutRawAsync(stream, cancellationToken).ConfigureAwait(false);
        if (scannedClean)
        {
            await _verdicts.RememberCleanAsync(original, cancellationToken).ConfigureAwait(false);
        }

        return new RawPayload(stored, original, content.Length, redactions);
    }

    /// <summary>
    /// Streams a raw payload into the store. Text is copied to a temporary file (hashing the original on the way),
    /// then redacted block by block into a second one; the original bytes are stored when nothing was masked, so a
    /// large export never sits in memory and its hash still matches the file. Binary content is stored as it is.
    /// </summary>
    public async Task<RawPayload> PutRawStreamAsync(Stream content, string mediaType, CancellationToken cancellationToken = default)
    {
        if (!IsText(mediaType))
        {
            var stored = await store.PutRawAsync(content, cancellationToken).ConfigureAwait(false);
            return new RawPayload(stored, stored.Sha256, stored.Length, 0);
        }

        await using var original = TempFile();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            await original.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }

        var originalSha = Convert.ToHexStringLower(hash.GetHashAndReset());
        var originalLength = original.Length;
        original.Position = 0;
        await using var redacted = TempFile();
        var redactions = await StreamRedaction.RedactAsync(original, redacted, cancellationToken).ConfigureAwait(false);
        var keep = redactions > 0 ? redacted : original;
        keep.Position = 0;
        var result = await store.PutRawAsync(keep, cancellationToken).ConfigureAwait(false);
        return new RawPayload(result, originalSha, originalLength, redactions);
    }

    private static FileStream TempFile() =>
        new(Path.Combine(Path.GetTempPath(), "aims-raw-" + Path.GetRandomFileName()), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);

    public Task<WriteOutcome> EmitAsync(EvidenceDraft draft, CancellationToken cancellationToken = default) =>
        EmitCoreAsync(draft, draft.Kind, cancellationToken);

    private async Task<WriteOutcome> EmitCoreAsync(EvidenceDraft draft, string idKind, CancellationToken cancellationToken)
    {
        var controls = draft.Controls.Count > 0
            ? draft.Controls
            : requirements.Requirements.Where(r => r.Kind == draft.Kind).SelectMany(r => r.Controls).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var facts = SecretRedactor.Redact(draft.Facts);
        var subject = Attribute(Redact(draft.Subject), facts);
        var item = EvidenceItemJson.Seal(new EvidenceItem
        {
            Id = ItemIds.For(job.RunId, job.JobId, subject, idKind),
            Kind = draft.Kind,
            Controls = controls,
            Subject = subject,
            Source = new EvidenceSource(identity.System, identity.Instance, SecretRedactor.RedactText(draft.Locator), identity.Collector, identity.Version),
            RunId = job.RunId,
            JobId = job.JobId,
            ObservedAt = ObservationTime(),
            Period = draft.Period,
            EvidenceDate = draft.EvidenceDate,
            Summary = SecretRedactor.RedactText(draft.Summary),
            Facts = facts,
            RawSha256 = draft.Raw?.Sha256,
            RawMediaType = draft.Raw is null ? null : draft.RawMediaType,
        });
        if (_batchSize == 1)
        {
            var outcome = await store.PutItemAsync(item, cancellationToken).ConfigureAwait(false);
            Count(outcome);
            return outcome;
        }

        List<EvidenceItem>? full = null;
        lock (_batch)
        {
            _batch.Add(item);
            if (_batch.Count >= _batchSize)
            {
                full = [.. _batch];
                _batch.Clear();
            }
        }

        if (full is not null)
        {
            await WriteAsync(full, cancellationToken).ConfigureAwait(false);
        }

        return WriteOutcome.Deferred;
    }

    /// <summary>Writes the items emitted since the last batch was written (nothing when none are waiting).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        List<EvidenceItem> rest;
        lock (_batch)
        {
            rest = [.. _batch];
            _batch.Clear();
        }

        if (rest.Count > 0)
        {
            await WriteAsync(rest, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WriteAsync(IReadOnlyList<EvidenceItem> items, CancellationToken cancellationToken)
    {
        foreach (var outcome in await store.PutItemsAsync(items, cancellationToken).ConfigureAwait(false))
        {
            Count(outcome);
        }
    }

    private void Count(WriteOutcome outcome)
    {
        if (outcome == WriteOutcome.Created)
        {
            Interlocked.Increment(ref _created);
        }
        else
        {
            Interlocked.Increment(ref _existing);
        }
    }

    public Task<WriteOutcome> ReportErrorAsync(Subject subject, string attemptedKind, string locator, string error, JsonObject? partialFacts = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _errors);
        var facts = partialFacts?.DeepClone().AsObject() ?? [];
        facts["attemptedKind"] = attemptedKind;
        facts["error"] = error;
        facts["source"] = job.Source;
        var controls = AttemptedControls(subject, attemptedKind, facts);
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

    // A display name comes from whatever the source calls the thing (a document title, a repository description)
    // and may carry a secret as easily as any fact.
    private static Subject Redact(Subject subject)
    {
        var id = SecretRedactor.RedactText(subject.Id, out var inId);
        var name = SecretRedactor.RedactText(subject.DisplayName, out var inName);
        return inId + inName == 0 ? subject : subject with { Id = id, DisplayName = name };
    }

    /// <summary>
    /// The controls a failed observation would have evidenced: those the collector says it attempted (a document's
    /// declared <c>controls</c>), else those of the requirements of the attempted kind that cover the subject as far
    /// as it is known. A source-level failure concerns every requirement of the kind.
    /// </summary>
    private string[] AttemptedControls(Subject subject, string attemptedKind, JsonObject facts)
    {
        if (facts["controls"] is JsonArray declared && declared.Count > 0)
        {
            return declared.Select(c => c?.GetValue<string>()).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        }

        var sketch = new EvidenceItem
        {
            Id = "",
            Kind = EvidenceKinds.CollectorError,
            Controls = [],
            Subject = subject,
            Source = new EvidenceSource(identity.System, identity.Instance, "", identity.Collector, identity.Version),
            RunId = job.RunId,
            JobId = job.JobId,
            ObservedAt = DateTimeOffset.UnixEpoch,
            Summary = "",
            Facts = facts,
        };
        var ofKind = requirements.Requirements.Where(r => r.Kind == attemptedKind).ToList();
        var covering = ofKind.Where(r => r.Scope.Matches(sketch)).ToList();
        // When the facts a requirement selects on were not learnt, only the requirements that select on none apply.
        var chosen = covering.Count > 0 ? covering : subject.Type == "source" ? ofKind : ofKind.Where(r => r.Scope.Facts.Count == 0);
        return chosen
            .SelectMany(r => r.Controls).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
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
