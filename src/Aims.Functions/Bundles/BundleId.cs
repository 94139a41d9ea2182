using System.Globalization;
using System.Text.RegularExpressions;
using Aims.Evidence.Items;

namespace Aims.Functions.Bundles;

/// <summary>
/// A bundle's id, <c>bundle-{yyyyMMddTHHmmssZ}-{12 hex}</c>: the time it was built and a hash of the request. It is
/// the only part of a URL that reaches a store path, so anything else (<c>..</c>, slashes) is refused.
/// </summary>
public static partial class BundleId
{
    public static string Create(DateTimeOffset at, string canonicalRequest) =>
        $"bundle-{at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}-{CanonicalJson.Sha256Hex(canonicalRequest + "\n" + at.UtcTicks.ToString(CultureInfo.InvariantCulture))[..12]}";

    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    /// <summary>The store report name of the zip.</summary>
    public static string ZipReport(string id) => $"bundles/{id}.zip";

    /// <summary>The store report name of the bundle's request record (who asked, for what).</summary>
    public static string RecordReport(string id) => $"bundles/{id}.json";

    [GeneratedRegex("^bundle-[0-9]{8}T[0-9]{6}Z-[0-9a-f]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
