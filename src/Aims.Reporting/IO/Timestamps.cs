using System.Globalization;
using Aims.Evidence.Items;

namespace Aims.Reporting.IO;

/// <summary>The date formats every report uses: ISO 8601 UTC for machines, a short UTC date for people.</summary>
internal static class Timestamps
{
    public static string Iso(DateTimeOffset value) => CanonicalJson.Timestamp(value);

    public static string Day(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Day(DateTimeOffset? value) => value is { } v ? Day(v) : "";

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
