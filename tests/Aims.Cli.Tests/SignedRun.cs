using System.Security.Cryptography;
using Aims.Testing;

namespace Aims.Cli.Tests;

/// <summary>The sample organization run once with a signing key: a signed store (checkpoints) and a signed bundle.</summary>
public sealed class SignedRun : IAsyncLifetime
{
    public TempDirectory Dir { get; } = new("aims-trust");

    public string Config { get; private set; } = "";

    public string Store => Dir.Combine("store");

    public string Out => Dir.Combine("out");

    public string Bundle => Path.Combine(Out, "bundle.zip");

    public string PrivateKey => Dir.Combine("signing-key.pem");

    public string PublicKey => Dir.Combine("publisher-key.pem");

    public string Fingerprint { get; private set; } = "";

    public (int Exit, string Output, string Errors) Result { get; private set; }

    public async Task InitializeAsync()
    {
        Config = RepositoryPaths.CopySample(Dir.Combine("contoso"));
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            await File.WriteAllTextAsync(PrivateKey, key.ExportECPrivateKeyPem());
            await File.WriteAllTextAsync(PublicKey, key.ExportSubjectPublicKeyInfoPem());
            Fingerprint = Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
        }

        Result = await CliRunner.RunAsync("run", "--config", Config, "--store", Store, "--out", Out, "--signing-key", PrivateKey);
    }

    /// <summary>A copy of the signed store a test may damage.</summary>
    public string CopyStore(string name)
    {
        var copy = Dir.Combine(name);
        foreach (var file in Directory.EnumerateFiles(Store, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(Store, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return copy;
    }

    public Task DisposeAsync()
    {
        Dir.Dispose();
        return Task.CompletedTask;
    }
}
