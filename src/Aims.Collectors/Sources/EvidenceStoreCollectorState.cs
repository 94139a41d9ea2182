using Aims.Evidence.Store;

namespace Aims.Collectors.Sources;

/// <summary>
/// Collector state kept as reports in the evidence store (<c>collector-state/{source}/{key}</c>), so it survives
/// across runs, hosts and Functions invocations and goes wherever the store goes. Stores replace reports atomically.
/// </summary>
public sealed class EvidenceStoreCollectorState(IEvidenceStore store) : ICollectorState
{
    public const string Prefix = "collector-state/";

    /// <summary>The report name state is kept under. Source and key are plain names: no separators, no dot-segments.</summary>
    public static string ReportName(string source, string key) =>
        $"{Prefix}{StateNames.Check(source, nameof(source))}/{StateNames.Check(key, nameof(key))}";

    public Task<Stream?> OpenAsync(string source, string key, CancellationToken cancellationToken = default) =>
        store.OpenReportAsync(ReportName(source, key), cancellationToken);

    public Task SaveAsync(string source, string key, Stream content, CancellationToken cancellationToken = default) =>
        store.PutReportAsync(ReportName(source, key), content, cancellationToken);
}

/// <summary>Names collectors use as path segments in the store (sources, state keys).</summary>
public static class StateNames
{
    /// <summary>Returns <paramref name="name"/> if it is 1–128 ASCII letters, digits, '-', '_' or '.', and not only dots.</summary>
    public static string Check(string name, string parameter)
    {
        if (name.Length is 0 or > 128
            || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            || name.All(c => c == '.'))
        {
            throw new ArgumentException($"'{name}' is not a valid {parameter} name: use 1-128 ASCII letters, digits, '-', '_' or '.'.", parameter);
        }

        return name;
    }
}
