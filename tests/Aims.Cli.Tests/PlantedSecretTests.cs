using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Aims.Testing;
using Microsoft.AspNetCore.Http;

namespace Aims.Cli.Tests;

/// <summary>
/// Plants every kind of secret in every place one can enter (front matter, body, sidecar, non-Markdown text, a large
/// file across the redaction block boundary, malformed metadata, configuration, provider responses), runs the whole
/// job, and searches the store, the digests, the bundle and everything printed: no secret may be found.
/// </summary>
public sealed class PlantedSecretTests : IDisposable
{
    // The part of each planted value that must never be seen again (the secret itself, not its label).
    private static readonly (string Planted, string Secret)[] Secrets =
    [
        ("ghp_Pl4ntedGitHubTokenAAAAAAAAAAAAAAAAAAAA", "Pl4ntedGitHubToken"),
        ("github_pat_11PLANTEDFINEGRAINED0123456789_abcdefghijklmnopqrstuvwxyz", "PLANTEDFINEGRAINED"),
        ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJQbGFudGVkSnd0In0.UGxhbnRlZFNpZ25hdHVyZQ", "eyJzdWIiOiJQbGFudGVkSnd0In0"),
        ("AKIAPLANTEDKEYID0001 wJalrXUtnPLANTEDaws/K7MDENG/bPxRfiCYEXAM", "PLANTEDaws"),
        ("https://deploy:Pl4ntedUrlPassw0rd@git.contoso.example/repo.git", "Pl4ntedUrlPassw0rd"),
        ("DefaultEndpointsProtocol=https;AccountName=contoso;AccountKey=Pl4ntedAccountKey0123456789==;EndpointSuffix=core.windows.net", "Pl4ntedAccountKey"),
        ("https://contoso.blob.core.windows.net/c/b?sv=2025-01-05&sig=Pl4ntedSasSignature%3D", "Pl4ntedSasSignature"),
        ("xoxb-1234-Pl4ntedSlackToken", "Pl4ntedSlackToken"),
        ("db_password: Pl4ntedDbPassw0rd", "Pl4ntedDbPassw0rd"),
        ("Authorization: Bearer Pl4ntedBearerTokenValue0123", "Pl4ntedBearerTokenValue"),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIEPl4ntedPrivateKeyBody0123456789abcdef\nPl4ntedPrivateKeySecondLine\n-----END RSA PRIVATE KEY-----", "Pl4ntedPrivateKey"),
    ];

    private const string ConfigToken = "ghp_Pl4ntedConfigTokenBBBBBBBBBBBBBBBBBBBB";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task No_planted_secret_reaches_the_store_digests_bundle_or_output()
    {
        await using var github = await LocalHttpServer.StartAsync(ProviderAsync);
        var config = RepositoryPaths.CopySample(_dir.Combine("contoso"));
        PlantDocuments(_dir.Combine("contoso", "documents", "planted"));
        var json = JsonNode.Parse(File.ReadAllText(config))!;
        json["Aims"]!["Sources"]!["GitHub"] = new JsonObject
        {
            ["BaseUrl"] = github.BaseUri.ToString(),
            ["Token"] = ConfigToken,
            ["Repositories"] = new JsonArray("contoso/fraud-scoring"),
        };
        File.WriteAllText(config, json.ToJsonString());
        var store = _dir.Combine("store");
        var output = _dir.Combine("out");

        var (exit, stdout, stderr) = await CliRunner.RunAsync("run", "--config", config, "--store", store, "--as-of", "2026-12-01", "--out", output);
        var gaps = await CliRunner.RunAsync("gaps", "--config", config, "--store", store, "--as-of", "2026-12-01", "--format", "json");

        Assert.True(exit == ExitCodes.Ok, stderr);
        Assert.True(github.RequestCount > 0, "the provider was never asked, so its responses were not tested");
        var places = new List<(string Where, string Text)> { ("stdout", stdout), ("stderr", stderr), ("gaps", gaps.Output + gaps.Errors) };
        places.AddRange(Directory.EnumerateFiles(store, "*", SearchOption.AllDirectories).Select(f => (f, ReadText(f))));
        foreach (var file in Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories))
        {
            places.Add((file, ReadText(file)));
            if (file.EndsWith(".zip", StringComparison.Ordinal))
            {
                using var zip = ZipFile.OpenRead(file);
                places.AddRange(zip.Entries.Select(e => ($"{file}!{e.FullName}", ReadEntry(e))));
            }
        }

        Assert.Contains(places, p => p.Text.Contains("[REDACTED]", StringComparison.Ordinal));
        var leaks = places
            .SelectMany(p => Secrets.Select(s => s.Secret).Append("Pl4ntedConfigToken").Where(secret => p.Text.Contains(secret, StringComparison.Ordinal)).Select(secret => $"{secret} in {p.Where}"))
            .ToList();
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
    }

    private static void PlantDocuments(string folder)
    {
        Directory.CreateDirectory(folder);
        for (var i = 0; i < Secrets.Length; i++)
        {
            var (planted, _) = Secrets[i];
            var oneLine = planted.Replace("\n", " ", StringComparison.Ordinal);
            // Front matter field and body.
            File.WriteAllText(Path.Combine(folder, $"doc-{i:D2}.md"),
                $"---\ntype: ai-policy\ntitle: \"Runbook {oneLine.Replace("\"", "'", StringComparison.Ordinal)}\"\nowner: Ops\n---\nBody:\n{planted}\n");
            // Malformed metadata quoting the secret (its error message and warning must not carry it).
            File.WriteAllText(Path.Combine(folder, $"bad-{i:D2}.md"), $"---\ntype: ai-policy\nowner: [{oneLine}\n---\n");
        }

        var all = string.Join("\n", Secrets.Select(s => s.Planted)) + "\n";

        // A sidecar'd YAML file and a text file with an unknown extension.
        File.WriteAllText(Path.Combine(folder, "deploy-config.yaml"), "deploy:\n" + all);
        File.WriteAllText(Path.Combine(folder, "deploy-config.yaml.aims.yaml"), $"type: ai-policy\ntitle: \"config {Secrets[0].Planted}\"\n");
        File.WriteAllText(Path.Combine(folder, "notes.cfg"), all);
        File.WriteAllText(Path.Combine(folder, "notes.cfg.aims.yaml"), "type: ai-policy\n");

        // A large file: the private key straddles the 1 MiB redaction block, other secrets sit near it.
        var big = new StringBuilder("---\ntype: ai-policy\ntitle: Big runbook\n---\n");
        while (big.Length < (1024 * 1024) - 80)
        {
            big.Append("A long procedure line that says nothing secret at all.\n");
        }

        big.Append(all).Append(string.Concat(Enumerable.Repeat("filler after the secrets\n", 50_000)));
        File.WriteAllText(Path.Combine(folder, "big.md"), big.ToString());
    }

    private static async Task ProviderAsync(HttpContext context)
    {
        // Provider responses carrying secrets: in a repository description and in an error message.
        context.Response.ContentType = "application/json";
        if (context.Request.Path.Value?.TrimEnd('/') == "/repos/contoso/fraud-scoring")
        {
            await context.Response.WriteAsync(new JsonObject
            {
                ["id"] = 1,
                ["name"] = "fraud-scoring",
                ["full_name"] = "contoso/fraud-scoring",
                ["private"] = true,
                ["default_branch"] = "main",
                ["description"] = string.Join(" ", Secrets.Select(s => s.Planted.Replace("\n", " ", StringComparison.Ordinal))),
                ["topics"] = new JsonArray("ai-system"),
            }.ToJsonString());
            return;
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
        await context.Response.WriteAsync(new JsonObject { ["message"] = $"Not Found; debug token {Secrets[0].Planted} {Secrets[4].Planted}" }.ToJsonString());
    }

    private static string ReadText(string file) => Encoding.UTF8.GetString(File.ReadAllBytes(file));

    private static string ReadEntry(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
