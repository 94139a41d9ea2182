using System.Text.Json.Nodes;
using Aims.Evidence.Items;
using Aims.Evidence.Store;

namespace Aims.Evidence.Collection;

/// <summary>What a collector hands over for one observation; the recorder completes, redacts, seals and stores it.</summary>
public sealed record EvidenceDraft
{
    public required string Kind { get; init; }

    public required Subject Subject { get; init; }

    /// <summary>API path or file path the facts came from.</summary>
    public required string Locator { get; init; }

    public required string Summary { get; init; }

    public required JsonObject Facts { get; init; }

    /// <summary>Controls this observation is evidence for; empty means "the controls of the requirements of this kind".</summary>
    public IReadOnlyList<string> Controls { get; init; } = [];

    public EvidencePeriod? Period { get; init; }

    public DateTimeOffset? EvidenceDate { get; init; }

    /// <summary>The raw payload, already stored through <see cref="IEvidenceSink.PutRawAsync"/>.</summary>
    public RawRef? Raw { get; init; }

    public string? RawMediaType { get; init; }
}
