using System.Buffers.Binary;
using System.Text;

namespace Aims.Reporting.IO;

/// <summary>
/// A 128-bit key for a name (an item id, a payload hash, a path in a bundle): the first 16 bytes of the SHA-256 of its
/// UTF-8. Sets of names that grow with a bundle hold these 16 bytes instead of the strings (a 64-character id string is
/// about 150 bytes); two names share a key with a probability of about n²/2¹²⁹, nil for any bundle.
/// </summary>
internal static class NameKey
{
    public static UInt128 Of(string name)
    {
        Span<byte> utf8 = name.Length <= 256 ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(name.Length)] : new byte[Encoding.UTF8.GetMaxByteCount(name.Length)];
        var length = Encoding.UTF8.GetBytes(name, utf8);
        Span<byte> hash = stackalloc byte[32];
        Aims.Evidence.Items.CanonicalJson.Sha256(utf8[..length], hash);
        return BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }
}
