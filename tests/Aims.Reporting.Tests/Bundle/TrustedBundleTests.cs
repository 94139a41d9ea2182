using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Aims.Evidence.Requirements;
using Aims.Reporting.Bundle;
using Aims.Reporting.Signing;
using Aims.Reporting.Tests.Fixtures;
using Aims.Reporting.Verification;
using Microsoft.Extensions.Time.Testing;

namespace Aims.Reporting.Tests.Bundle;

/// <summary>Bundles that rely on signed checkpoints, keep their control scope stable, and store incompressible payloads as they are.</summary>
public sealed class TrustedBundleTests
{
    [Fact]
    public async Task The_ledger_proof_runs_to_the_signed_checkpoint_and_the_signed_bundle_verifies_with_the_pinned_key()
    {
        using var sample = await SampleEvidence.CreateAsync();
        using var signer = Signer(sample, out var publicKey);
        await new LedgerCheckpointWriter(sample.Store, signer, sample.Time, "test").WriteAsync();
        await sample.RecordProtectionAsync("later", SampleEvidence.At(2026, 6, 20), "contoso/later", "chatbot", 2);
        var report = await sample.AnalyzeAsync();
        using var output = new MemoryStream();

        var result = await new BundleWriter(sample.Store, new FakeTimeProvider(Bundles.CreatedAt))
            .WriteAsync(new BundleRequest(Bundles.YearStart, SampleEvidence.At(2026, 3, 10), report, "0.1.0-test") { Signer = signer }, output);

        Assert.True(result.Signed);
        Assert.Equal(1, result.CheckpointCount);
        Assert.Equal(4, result.ItemCount); // entries 1-4: three observed by 10 March, and the collector error whose job period covers it
        Assert.Equal(5, result.LedgerEntryCount); // the proof runs past entry 4 to the checkpoint at entry 5, not to entry 6
        var verified = await new BundleVerifier(publicKey).VerifyAsync(new MemoryStream(output.ToArray()));
        Assert.True(verified.IsIntact, string.Join("\n", verified.Findings));
        Assert.Contains(verified.Notes, n => n.Contains("1 signed ledger checkpoint(s) match", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_proof_cut_short_of_its_checkpoint_is_named()
    {
        using var sample = await SampleEvidence.CreateAsync();
        using var signer = Signer(sample, out var publicKey);
        await new LedgerCheckpointWriter(sample.Store, signer, sample.Time, "test").WriteAsync();
        var (zip, _) = await WriteSignedAsync(sample, signer);
        var tampered = Bundles.Change(zip, archive =>
        {
            var lines = System.Text.Encoding.UTF8.GetString(Bundles.Files(zip)["ledger/entries.jsonl"]).TrimEnd('\n').Split('\n');
            Bundles.Replace(archive, "ledger/entries.jsonl", System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines[..^1]) + "\n"));
        });

        var verified = await new BundleVerifier().VerifyAsync(new MemoryStream(tampered));

        Assert.Contains(verified.Findings, f => f.Name == "ledger segment 'local'" && f.Kind == FindingKind.Removed && f.Problem.Contains("is truncated", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_control_filter_also_takes_evidence_the_current_requirements_map_to_the_control()
    {
        // Given branch protection recorded for A.6.1.3 only, and requirements that now also map it to A.9.4
        using var sample = await SampleEvidence.CreateAsync();
        var remapped = sample.Requirements.Requirements
            .Select(r => r.Kind == "github.branch-protection" ? r with { Controls = [.. r.Controls, "A.9.4"] } : r)
            .ToList();
        var requirements = new RequirementSet(remapped, sample.Requirements.Waivers);
        var report = await sample.AnalyzeAsync();
        using var output = new MemoryStream();

        // When a bundle is built for A.9.4
        var result = await new BundleWriter(sample.Store, new FakeTimeProvider(Bundles.CreatedAt))
            .WriteAsync(new BundleRequest(Bundles.YearStart, Bundles.MidYear, report, "0.1.0-test", ["A.9.4"]) { Requirements = requirements }, output);

        // Then it holds the two branch-protection items and says how it chose them
        Assert.Equal(2, result.ItemCount);
        using var zip = new ZipArchive(new MemoryStream(output.ToArray()));
        using var manifest = JsonDocument.Parse(zip.GetEntry("manifest.json")!.Open());
        Assert.Equal("recorded-or-current-mapping", manifest.RootElement.GetProperty("controlFilterBasis").GetString());
        Assert.Contains(zip.Entries, e => e.FullName == BundleLayout.ItemPath(sample.Ids["fraud-protection"]));
        Assert.Contains(zip.Entries, e => e.FullName == BundleLayout.ItemPath(sample.Ids["chatbot-protection"]));
    }

    [Fact]
    public async Task An_incompressible_raw_payload_is_stored_without_deflate_and_json_is_deflated()
    {
        using var sample = await SampleEvidence.CreateAsync();
        var random = RandomNumberGenerator.GetBytes(256 * 1024);
        await sample.RecordProtectionAsync("binary", SampleEvidence.At(2026, 6, 5), "contoso/binary", "chatbot", 2, payload: random);
        var (zip, _) = await Bundles.WriteAsync(sample, await sample.AnalyzeAsync());

        using var archive = new ZipArchive(new MemoryStream(zip));
        var binary = archive.GetEntry(BundleLayout.RawPath(Convert.ToHexStringLower(SHA256.HashData(random)), "application/json"))!;
        Assert.Equal(binary.Length, binary.CompressedLength);
        var json = archive.Entries.Single(e => e.FullName.StartsWith(BundleLayout.RawFolder, StringComparison.Ordinal) && e != binary);
        Assert.True(json.CompressedLength < json.Length);
    }

    private static PemFileSigner Signer(SampleEvidence sample, out PublicSigningKey publicKey)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var path = sample.Folder.Combine("signing-key.pem");
        File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());
        publicKey = PublicSigningKey.FromEcdsa(key);
        return PemFileSigner.Load(path, "--signing-key");
    }

    private static async Task<(byte[] Zip, BundleResult Result)> WriteSignedAsync(SampleEvidence sample, IEvidenceSigner signer)
    {
        using var output = new MemoryStream();
        var result = await new BundleWriter(sample.Store, new FakeTimeProvider(Bundles.CreatedAt))
            .WriteAsync(new BundleRequest(Bundles.YearStart, Bundles.MidYear, await sample.AnalyzeAsync(), "0.1.0-test") { Signer = signer }, output);
        return (output.ToArray(), result);
    }
}
