namespace Aims.Reporting.Oscal;

/// <summary>One evidence item as an OSCAL observation: where it is (<paramref name="Href"/>, relative) and its hash when known.</summary>
public sealed record OscalObservation(
    string ItemId,
    string Kind,
    string SubjectKey,
    string Summary,
    DateTimeOffset Collected,
    DateTimeOffset? Expires,
    IReadOnlyList<string> Controls,
    string Href,
    string? Sha256);
