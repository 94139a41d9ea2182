namespace Aims.Reporting.Bundle;

/// <summary>Tells already-compressed content from text by the spread of its bytes (Shannon entropy of a sample).</summary>
internal static class Compressibility
{
    /// <summary>Above this many bits per byte deflate saves almost nothing (compressed and encrypted data sit near 8).</summary>
    private const double IncompressibleBitsPerByte = 7.5;

    public static bool LooksIncompressible(ReadOnlySpan<byte> sample)
    {
        if (sample.Length < 4096)
        {
            return false; // too small to judge, and too small to matter
        }

        Span<int> counts = stackalloc int[256];
        foreach (var b in sample)
        {
            counts[b]++;
        }

        double bits = 0;
        foreach (var count in counts)
        {
            if (count > 0)
            {
                var p = (double)count / sample.Length;
                bits -= p * Math.Log2(p);
            }
        }

        return bits >= IncompressibleBitsPerByte;
    }
}
