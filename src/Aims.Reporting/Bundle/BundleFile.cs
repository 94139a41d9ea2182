namespace Aims.Reporting.Bundle;

/// <summary>One file of a bundle as manifest.json and SHA256SUMS record it.</summary>
public sealed record BundleFile(string Path, long Size, string Sha256);
