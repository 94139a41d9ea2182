using System.Text;
using System.Text.Json;
using Aims.Evidence.Gaps;
using Aims.Reporting.Digest;

namespace Aims.Reporting.Tests.Fixtures;

/// <summary>Renders digests to strings for assertions.</summary>
public static class Render
{
    public static async Task<string> DigestAsync(GapReport report, DigestFormat format)
    {
        using var buffer = new MemoryStream();
        await DigestWriter.WriteAsync(report, format, buffer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static async Task<JsonDocument> JsonDigestAsync(GapReport report) => JsonDocument.Parse(await DigestAsync(report, DigestFormat.Json));
}
