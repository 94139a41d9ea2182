using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Aims.Cli.Tests;

/// <summary>Signed bundles: an attacker who recomputes SHA256SUMS and manifest.json cannot recompute the signature.</summary>
public sealed class SignedBundleTests(SignedRun run) : IClassFixture<SignedRun>
{
    [Fact]
    public async Task The_signed_bundle_verifies_with_the_pinned_key_and_with_its_fingerprint()
    {
        Assert.True(run.Result.Exit == ExitCodes.Ok, run.Result.Errors);

        var byKey = await CliRunner.RunAsync("verify", run.Bundle, "--key", run.PublicKey);
        var byFingerprint = await CliRunner.RunAsync("verify", "--bundle", run.Bundle, "--fingerprint", run.Fingerprint);

        Assert.True(byKey.Exit == ExitCodes.Ok, byKey.Output);
        Assert.Contains($"signature checked with the pinned key {run.Fingerprint}", byKey.Output);
        Assert.Contains("1 signed ledger checkpoint(s) match the ledger proof", byKey.Output);
        Assert.True(byFingerprint.Exit == ExitCodes.Ok, byFingerprint.Output);
    }

    [Fact]
    public void The_bundle_holds_the_soa_oscal_readme_checkpoint_and_signature_files()
    {
        using var zip = ZipFile.OpenRead(run.Bundle);
        var names = zip.Entries.Select(e => e.FullName).ToHashSet();
        foreach (var name in new[] { "soa.csv", "soa.json", "soa.html", "soa.md", "oscal/assessment-results.json", "README.txt", "ledger/checkpoints/local.json", "SHA256SUMS.sig", "manifest.json.sig", "signing-key.pem" })
        {
            Assert.Contains(name, names);
        }

        var manifest = JsonNode.Parse(zip.GetEntry("manifest.json")!.Open())!;
        Assert.Equal(run.Fingerprint, manifest["signing"]!["publicKeySha256"]!.GetValue<string>());
        Assert.Equal("ledger/checkpoints/local.json", manifest["checkpoints"]![0]!["path"]!.GetValue<string>());
        var listed = manifest["files"]!.AsArray().Select(f => f!["path"]!.GetValue<string>()).ToHashSet();
        Assert.Superset(new HashSet<string> { "index.html", "controls.csv", "soa.csv", "oscal/assessment-results.json", "ledger/checkpoints/local.json" }, listed);
    }

    [Theory]
    [InlineData("remove-item")]
    [InlineData("edit-controls")]
    [InlineData("edit-index")]
    [InlineData("add-file")]
    public async Task A_change_with_sums_and_manifest_recomputed_is_named_by_verify_with_the_key(string change)
    {
        var tampered = run.Dir.Combine($"tampered-{change}.zip");
        Tamper(run.Bundle, tampered, change);

        var (exit, output, _) = await CliRunner.RunAsync("verify", tampered, "--key", run.PublicKey);

        Assert.Equal(ExitCodes.VerificationFailed, exit);
        Assert.Contains("unsigned: SHA256SUMS: does not match its signature SHA256SUMS.sig", output);
        Assert.Contains("unsigned: manifest.json: does not match its signature manifest.json.sig", output);
    }

    [Fact]
    public async Task A_bundle_re_signed_with_another_key_fails_against_the_pinned_key()
    {
        var tampered = run.Dir.Combine("resigned.zip");
        Tamper(run.Bundle, tampered, "edit-controls");
        using var forger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Resign(tampered, forger);

        var pinned = await CliRunner.RunAsync("verify", tampered, "--key", run.PublicKey);
        var byFingerprint = await CliRunner.RunAsync("verify", tampered, "--fingerprint", run.Fingerprint);

        Assert.Equal(ExitCodes.VerificationFailed, pinned.Exit);
        Assert.Contains("does not match its signature", pinned.Output);
        Assert.Equal(ExitCodes.VerificationFailed, byFingerprint.Exit);
        Assert.Contains("the bundle was signed by someone else", byFingerprint.Output);
    }

    /// <summary>What an attacker with the zip does: change something, then recompute manifest.json and SHA256SUMS to match.</summary>
    internal static void Tamper(string source, string target, string change)
    {
        File.Copy(source, target, overwrite: true);
        using var zip = ZipFile.Open(target, ZipArchiveMode.Update);
        switch (change)
        {
            case "remove-item":
                zip.Entries.First(e => e.FullName.StartsWith("evidence/items/", StringComparison.Ordinal)).Delete();
                break;
            case "edit-controls":
                Replace(zip, "controls.csv", Read(zip, "controls.csv").Replace("missing", "ok", StringComparison.Ordinal));
                break;
            case "edit-index":
                Replace(zip, "index.html", Read(zip, "index.html").Replace("</h1>", " (all controls ok)</h1>", StringComparison.Ordinal));
                break;
            default:
                Replace(zip, "extra/approval.txt", "Approved by the auditor.");
                break;
        }

        var manifest = JsonNode.Parse(Read(zip, "manifest.json"))!.AsObject();
        var files = new JsonArray();
        var sums = new StringBuilder();
        foreach (var entry in zip.Entries.Where(e => e.FullName is not ("manifest.json" or "SHA256SUMS" or "SHA256SUMS.sig" or "manifest.json.sig" or "signing-key.pem")).ToList())
        {
            var bytes = Bytes(zip, entry.FullName);
            var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
            files.Add(new JsonObject { ["path"] = entry.FullName, ["size"] = bytes.Length, ["sha256"] = hash });
            sums.Append(hash).Append("  ").Append(entry.FullName).Append('\n');
        }

        manifest["files"] = files;
        manifest["itemCount"] = zip.Entries.Count(e => e.FullName.StartsWith("evidence/items/", StringComparison.Ordinal));
        var manifestText = manifest.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
        Replace(zip, "manifest.json", manifestText);
        sums.Append(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(manifestText)))).Append("  manifest.json\n");
        Replace(zip, "SHA256SUMS", sums.ToString());
    }

    internal static void Resign(string bundle, ECDsa key)
    {
        using var zip = ZipFile.Open(bundle, ZipArchiveMode.Update);
        ReplaceBytes(zip, "SHA256SUMS.sig", key.SignData(Bytes(zip, "SHA256SUMS"), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        ReplaceBytes(zip, "manifest.json.sig", key.SignData(Bytes(zip, "manifest.json"), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        Replace(zip, "signing-key.pem", key.ExportSubjectPublicKeyInfoPem() + "\n");
    }

    private static string Read(ZipArchive zip, string path) => Encoding.UTF8.GetString(Bytes(zip, path));

    private static byte[] Bytes(ZipArchive zip, string path)
    {
        using var stream = zip.GetEntry(path)!.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static void Replace(ZipArchive zip, string path, string content) => ReplaceBytes(zip, path, Encoding.UTF8.GetBytes(content));

    private static void ReplaceBytes(ZipArchive zip, string path, byte[] content)
    {
        zip.GetEntry(path)?.Delete();
        using var stream = zip.CreateEntry(path).Open();
        stream.Write(content);
    }
}
