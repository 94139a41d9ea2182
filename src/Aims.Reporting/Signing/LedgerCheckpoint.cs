using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aims.Evidence.Items;
using Aims.Evidence.Store;

namespace Aims.Reporting.Signing;

/// <summary>
/// A signed statement "ledger segment S had N entries and its head hash was H at time T", stored create-only under
/// <c>checkpoints/</c>. Anyone holding the public key can then tell whether the segment was truncated, or rewritten and
/// re-chained, up to that entry. The signature (ES256, DER, base64) covers the canonical JSON of every other field.
/// </summary>
public sealed record LedgerCheckpoint(
    string Segment,
    long Sequence,
    string HeadHash,
    DateTimeOffset HeadRecordedAt,
    DateTimeOffset SignedAt,
    string Writer,
    string KeyId,
    string PublicKeyPem,
    string PublicKeySha256,
    byte[] Signature)
{
    public const string FormatName = "aims-ledger-checkpoint";
    public const int FormatVersion = 1;
    public const string Algorithm = "ES256";

    /// <summary>The store name: one folder per segment, named by sequence and head so re-signing an unchanged head is a no-op.</summary>
    public static string NameFor(string segment, long sequence, string headHash) =>
        $"{SegmentFolder(segment)}/{sequence.ToString("D12", CultureInfo.InvariantCulture)}-{headHash[..Math.Min(16, headHash.Length)].ToLowerInvariant()}.json";

    public string Name => NameFor(Segment, Sequence, HeadHash);

    /// <summary>Signs the head of one segment.</summary>
    public static async Task<LedgerCheckpoint> SignAsync(LedgerHead head, DateTimeOffset signedAt, string writer, IEvidenceSigner signer, CancellationToken cancellationToken)
    {
        var key = await signer.GetPublicKeyAsync(cancellationToken).ConfigureAwait(false);
        var unsigned = new LedgerCheckpoint(head.Segment, head.Sequence, head.Hash, head.RecordedAt, signedAt, writer, signer.KeyId, key.Pem, key.Fingerprint, []);
        var signature = await signer.SignAsync(unsigned.SignedBytes(), cancellationToken).ConfigureAwait(false);
        return unsigned with { Signature = signature };
    }

    /// <summary>The bytes the signature covers.</summary>
    public byte[] SignedBytes() => CanonicalJson.ToBytes(ToNode(includeSignature: false));

    public byte[] ToBytes() => CanonicalJson.ToBytes(ToNode(includeSignature: true));

    /// <summary>Checks the signature with the key the checkpoint carries, and that the key is the one it names.</summary>
    public bool HasValidSignature(out PublicSigningKey? key)
    {
        key = null;
        try
        {
            key = PublicSigningKey.FromPem(PublicKeyPem, "the checkpoint's public key");
        }
        catch (FormatException)
        {
            return false;
        }

        return key.Fingerprint == PublicKeySha256 && key.Verify(SignedBytes(), Signature);
    }

    /// <summary>Parses a stored checkpoint; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static LedgerCheckpoint Parse(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var n = JsonNode.Parse(utf8)!.AsObject();
            if (n["format"]?.GetValue<string>() != FormatName || n["formatVersion"]?.GetValue<int>() != FormatVersion || n["algorithm"]?.GetValue<string>() != Algorithm)
            {
                throw new FormatException($"it is not an {FormatName} version {FormatVersion} with algorithm {Algorithm}.");
            }

            static DateTimeOffset T(JsonNode? v) => DateTimeOffset.Parse(v!.GetValue<string>(), CultureInfo.InvariantCulture).ToUniversalTime();
            return new LedgerCheckpoint(
                n["segment"]!.GetValue<string>(),
                n["sequence"]!.GetValue<long>(),
                n["headHash"]!.GetValue<string>(),
                T(n["headRecordedAt"]),
                T(n["signedAt"]),
                n["writer"]!.GetValue<string>(),
                n["keyId"]!.GetValue<string>(),
                n["publicKey"]!.GetValue<string>(),
                n["publicKeySha256"]!.GetValue<string>(),
                Convert.FromBase64String(n["signature"]!.GetValue<string>()));
        }
        catch (Exception ex) when (ex is JsonException or NullReferenceException or InvalidOperationException or FormatException or DecoderFallbackException or ArgumentException)
        {
            throw new FormatException($"not a readable ledger checkpoint: {ex.Message}", ex);
        }
    }

    private JsonObject ToNode(bool includeSignature)
    {
        var node = new JsonObject
        {
            ["format"] = FormatName,
            ["formatVersion"] = FormatVersion,
            ["algorithm"] = Algorithm,
            ["segment"] = Segment,
            ["sequence"] = Sequence,
            ["headHash"] = HeadHash,
            ["headRecordedAt"] = CanonicalJson.Timestamp(HeadRecordedAt),
            ["signedAt"] = CanonicalJson.Timestamp(SignedAt),
            ["writer"] = Writer,
            ["keyId"] = KeyId,
            ["publicKey"] = PublicKeyPem,
            ["publicKeySha256"] = PublicKeySha256,
        };
        if (includeSignature)
        {
            node["signature"] = Convert.ToBase64String(Signature);
        }

        return node;
    }

    /// <summary>Segment names are free text in the ledger; a checkpoint name allows only [a-z0-9._-], so others are hex-encoded.</summary>
    private static string SegmentFolder(string segment) =>
        segment.Length is > 0 and <= 80 && !segment.Contains("..", StringComparison.Ordinal) && segment.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.')
            ? segment
            : "x-" + Convert.ToHexStringLower(Encoding.UTF8.GetBytes(segment))[..Math.Min(160, segment.Length * 2)];
}
