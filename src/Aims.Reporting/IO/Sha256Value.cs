namespace Aims.Reporting.IO;

/// <summary>
/// A SHA-256 held as its 32 bytes (two 128-bit halves) rather than as 64 hex characters (about 150 bytes as a string):
/// the verifier keeps one or two per bundled file. A recorded value that is not 64 lowercase hex digits is kept as
/// <see cref="Malformed"/>, which equals no real hash.
/// </summary>
internal readonly record struct Sha256Value(UInt128 High, UInt128 Low, bool IsMalformed = false)
{
    public static readonly Sha256Value Malformed = new(0, 0, true);

    /// <summary>Parses a value already checked to be 64 lowercase hex digits (or returns <see cref="Malformed"/>).</summary>
    public static Sha256Value Parse(string hex) => TryParse(hex);

    public static Sha256Value TryParse(string? hex)
    {
        if (hex is null || !Evidence.Items.ItemIds.IsSha256(hex))
        {
            return Malformed;
        }

        Span<byte> bytes = stackalloc byte[32];
        Convert.FromHexString(hex, bytes, out _, out _);
        return new Sha256Value(System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes), System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes[16..]));
    }

    public override string ToString()
    {
        if (IsMalformed)
        {
            return "a malformed SHA-256";
        }

        Span<byte> bytes = stackalloc byte[32];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, High);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes[16..], Low);
        return Convert.ToHexStringLower(bytes);
    }
}
