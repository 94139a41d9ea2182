using System.Security.Cryptography;
using System.Text;
using Aims.Reporting.Bundle;
using Aims.Reporting.Tests.Fixtures;
using Aims.Reporting.Verification;

namespace Aims.Reporting.Tests.Verification;

/// <summary>What an attacker who can rewrite a zip and its checksums tries, and what the verifier names.</summary>
public sealed class BundleVerifierHardeningTests
{
    [Theory]
    [InlineData("../../x")]
    [InlineData("/tmp/x")]
    [InlineData("evidence/../../x")]
    [InlineData("evidence\\items\\x.json")]
    [InlineData("C:/Windows/x")]
    public async Task An_entry_name_that_escapes_the_folder_is_unsafe_even_when_listed_everywhere(string name)
    {
        using var sample = await SampleEvidence.CreateAsync();
        var (zip, _) = await Bundles.WriteAsync(sample, await sample.AnalyzeAsync());
        var tampered = Bundles.Change(zip, archive =>
        {
            Bundles.Add(archive, name, Encoding.UTF8.GetBytes("planted"));
            Bundles.Relist(archive);
        });

        var result = await new BundleVerifier().VerifyAsync(new MemoryStream(tampered));

        Assert.Contains(result.Findings, f => f.Name == name && f.Kind == FindingKind.Unsafe);
        Assert.Contains(result.Findings, f => f.Name is "SHA256SUMS" or "manifest.json" && f.Kind == FindingKind.Unsafe && f.Problem.Contains(name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_entry_that_appears_twice_is_unsafe()
    {
        using var sample = await SampleEvidence.CreateAsync();
        var (zip, _) = await Bundles.WriteAsync(sample, await sample.AnalyzeAsync());
        var tampered = Bundles.Change(zip, archive => Bundles.Add(archive, "controls.csv", Encoding.UTF8.GetBytes("control_id\nA.2.2,ok\n")));

        var result = await new BundleVerifier().VerifyAsync(new MemoryStream(tampered));

        Assert.Contains(result.Findings, f => f.Name == "controls.csv" && f.Kind == FindingKind.Unsafe && f.Problem.Contains("more than once", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_item_with_an_invalid_utf8_byte_is_altered_not_a_crash()
    {
        using var sample = await SampleEvidence.CreateAsync();
        var (zip, _) = await Bundles.WriteAsync(sample, await sample.AnalyzeAsync());
        var path = BundleLayout.ItemPath(sample.Ids["policy"]);
        var content = Bundles.Files(zip)[path];
        content[Encoding.UTF8.GetString(content).IndexOf("Chief", StringComparison.Ordinal)] = 0xC3;
        var tampered = Bundles.Change(zip, archive =>
        {
            Bundles.Replace(archive, path, content);
            Bundles.Relist(archive);
        });

        var result = await new BundleVerifier().VerifyAsync(new MemoryStream(tampered));

        Assert.Contains(result.Findings, f => f.Name == path && f.Kind == FindingKind.Altered && f.Problem.Contains("not valid UTF-8", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_item_that_is_not_json_is_altered()
    {
        using var sample = await SampleEvidence.CreateAsync();
        var (zip, _) = await Bundles.WriteAsync(sample, await sample.AnalyzeAsync());
        var path = BundleLayout.ItemPath(sample.Ids["policy"]);
        var tampered = Bundles.Change(zip, archive =>
        {
            Bundles.Replace(archive, path, Encoding.UTF8.GetBytes("{\"id\": \"not closed"));
            Bundles.Relist(archive);
        });

        var result = await new BundleVerifier().VerifyAsync(new MemoryStream(tampered));

        Assert.Contains(result.Findings, f => f.Name == path && f.Kind == FindingKind.Altered && f.Problem.Contains("not a readable evidence item", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_raw_payload_no_item_references_is_added_even_when_listed_and_named_by_its_hash()
    {
        using var sample = await SampleEvidence.CreateAsync();
        var (zip, _) = await Bundles.WriteAsync(sample, await sample.AnalyzeAsync());
        var payload = Encoding.UTF8.GetBytes("an extra export nobody collected");
        var path = BundleLayout.RawPath(Convert.ToHexStringLower(SHA256.HashData(payload)), null);
        var tampered = Bundles.Change(zip, archive =>
        {
            Bundles.Add(archive, path, payload);
            Bundles.Relist(archive);
        });

        var result = await new BundleVerifier().VerifyAsync(new MemoryStream(tampered));

        Assert.Contains(result.Findings, f => f.Name == path && f.Kind == FindingKind.Added && f.Problem.Contains("referenced by no evidence item", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("evidence/items/notes.txt")]
    [InlineData("evidence/raw/readme")]
    [InlineData("approval.txt")]
    public async Task A_file_no_bundle_holds_is_added_even_when_listed(string path)
    {
        using var sample = await SampleEvidence.CreateAsync();
        var (zip, _) = await Bundles.WriteAsync(sample, await sample.AnalyzeAsync());
        var tampered = Bundles.Change(zip, archive =>
        {
            Bundles.Add(archive, path, Encoding.UTF8.GetBytes("approved"));
            Bundles.Relist(archive);
        });

        var result = await new BundleVerifier().VerifyAsync(new MemoryStream(tampered));

        Assert.Contains(result.Findings, f => f.Name == path && f.Kind == FindingKind.Added);
    }

    [Fact]
    public async Task An_unsigned_bundle_checked_against_a_pinned_key_is_named()
    {
        using var sample = await SampleEvidence.CreateAsync();
        var (zip, _) = await Bundles.WriteAsync(sample, await sample.AnalyzeAsync());
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var result = await new BundleVerifier(Aims.Reporting.Signing.PublicSigningKey.FromEcdsa(key)).VerifyAsync(new MemoryStream(zip));

        var finding = Assert.Single(result.Findings);
        Assert.Equal(FindingKind.Unsigned, finding.Kind);
        Assert.Contains("the bundle is not signed", finding.Problem);
    }
}
