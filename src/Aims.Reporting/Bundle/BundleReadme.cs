namespace Aims.Reporting.Bundle;

/// <summary>README.txt: what the bundle is and how to verify it with the aims command or with only openssl and sha256sum.</summary>
internal static class BundleReadme
{
    /// <summary>The text; every line that starts with "  $ " is a command a test runs exactly as written.</summary>
    public static string Text(BundleSigning? signing) => $$"""
        AIMS Evidence bundle
        ====================

        Evidence collected for an ISO/IEC 42001 audit period, with everything needed to check it offline:
          evidence/items/   evidence items (canonical JSON), evidence/raw/ their raw payloads (named by SHA-256)
          ledger/           the hash-chained ledger proof and the signed ledger checkpoints it runs to
          controls.csv, index.html, soa.*, oscal/assessment-results.json   the analysis of this evidence
          manifest.json     how the bundle was made and every file with its size and SHA-256
          SHA256SUMS        every file except itself and the signature files, for sha256sum -c
          SHA256SUMS.sig, manifest.json.sig   ES256 signatures (ECDSA P-256, SHA-256; DER)
          signing-key.pem   the signer's public key
        {{(signing is null
            ? "This bundle is NOT signed: its checksums show damage, not who made it."
            : $"Signed with key {signing.KeyId}, fingerprint (SHA-256 of the public key's DER):\n  {signing.PublicKeySha256}")}}

        Trust the signature only if that fingerprint is the one the organization gave you through another channel
        (not this zip). Below, publisher-key.pem is the public key the organization gave you, and bundle.zip this file.

        With the aims command (checks the signature, then every file, item, raw payload, the ledger chain and the
        checkpoints; exit 0 intact, 1 not):
          $ aims verify bundle.zip --key publisher-key.pem

        With only openssl and sha256sum, from an empty folder holding bundle.zip and publisher-key.pem:
          $ mkdir extracted && cd extracted && unzip -q ../bundle.zip
          $ openssl pkey -pubin -in ../publisher-key.pem -outform DER | sha256sum
          $ openssl pkey -pubin -in signing-key.pem -outform DER | sha256sum
          $ openssl dgst -sha256 -verify ../publisher-key.pem -signature SHA256SUMS.sig SHA256SUMS
          $ sha256sum -c --quiet SHA256SUMS
          $ cut -c67- SHA256SUMS | sort > ../listed.txt && find . -type f | sed 's|^\./||' | grep -vxE 'SHA256SUMS|SHA256SUMS\.sig|manifest\.json\.sig|signing-key\.pem' | sort | diff ../listed.txt -
        The two fingerprints must be equal; openssl must print "Verified OK"; sha256sum -c prints nothing when every
        file is intact; the last command prints nothing when no file was added or removed. Together they show that
        every file is exactly what the key holder signed. ledger/README.txt shows how to re-check the ledger chain.
        """;
}
