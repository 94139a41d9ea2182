using Aims.Evidence.Store;

namespace Aims.Evidence.Collection;

/// <summary>
/// A raw payload as the sink stored it, and what it was before redaction. When nothing was redacted the stored bytes
/// are the original bytes and both hashes are the same.
/// </summary>
/// <param name="Stored">The content address of the bytes in the store.</param>
/// <param name="OriginalSha256">SHA-256 of the bytes the collector handed over.</param>
/// <param name="OriginalLength">Length of the bytes the collector handed over.</param>
/// <param name="Redactions">How many secrets were masked; zero means the stored bytes are the original bytes.</param>
public sealed record RawPayload(RawRef Stored, string OriginalSha256, long OriginalLength, int Redactions)
{
    public string Sha256 => Stored.Sha256;

    public long Length => Stored.Length;

    public bool Redacted => Redactions > 0;

    public static implicit operator RawRef(RawPayload payload) => payload.Stored;
}
