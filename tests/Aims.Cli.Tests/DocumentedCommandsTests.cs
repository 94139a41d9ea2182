using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Aims.Testing;

namespace Aims.Cli.Tests;

/// <summary>
/// Every verification command shown in docs/bundle-format.md, the bundle's README.txt and ledger/README.txt, run exactly
/// as written with bash (aims is the built CLI), on the signed sample bundle and on a tampered copy.
/// </summary>
public sealed partial class DocumentedCommandsTests(SignedRun run) : IClassFixture<SignedRun>
{
    [Fact]
    public async Task The_bundle_format_doc_commands_pass_on_an_intact_bundle()
    {
        var commands = ShellBlocks(await File.ReadAllTextAsync(RepositoryPaths.Combine("docs", "bundle-format.md")));
        Assert.Contains(commands, c => c.StartsWith("aims verify --bundle ", StringComparison.Ordinal));
        Assert.Contains(commands, c => c.StartsWith("openssl dgst -sha256 -verify", StringComparison.Ordinal));

        var (exit, output) = await RunAsync(run.Bundle, commands);

        Assert.True(exit == 0, output);
        Assert.Contains("Verified OK", output);
        Assert.True(Regex.Matches(output, run.Fingerprint + "  -").Count == 2, output);
    }

    [Fact]
    public async Task The_readme_commands_in_the_bundle_pass_on_an_intact_bundle_and_match_the_doc()
    {
        var readme = BundleText(run.Bundle, "README.txt");
        var commands = ReadmeCommands(readme);
        Assert.Contains($"fingerprint (SHA-256 of the public key's DER):\n  {run.Fingerprint}", readme);
        Assert.Subset(ShellBlocks(await File.ReadAllTextAsync(RepositoryPaths.Combine("docs", "bundle-format.md"))).ToHashSet(), commands.Where(c => !c.StartsWith("aims ", StringComparison.Ordinal)).ToHashSet());

        var (exit, output) = await RunAsync(run.Bundle, commands);

        Assert.True(exit == 0, output);
        Assert.Contains("Verified OK", output);
        Assert.Contains("intact: ", output);
    }

    [Fact]
    public async Task The_ledger_readme_commands_print_nothing_on_an_intact_bundle_and_name_an_altered_item()
    {
        var commands = ReadmeCommands(BundleText(run.Bundle, "ledger/README.txt"));
        Assert.Equal(3, commands.Count);

        var (exit, output) = await RunAsync(run.Bundle, ["mkdir extracted && cd extracted && unzip -q ../bundle.zip", .. commands]);
        Assert.True(exit == 0 && output.Trim().Length == 0, output);

        var tampered = run.Dir.Combine("ledger-tampered.zip");
        File.Copy(run.Bundle, tampered, overwrite: true);
        string changed;
        using (var zip = ZipFile.Open(tampered, ZipArchiveMode.Update))
        {
            var entry = zip.Entries.First(e => e.FullName.StartsWith("evidence/items/", StringComparison.Ordinal));
            changed = entry.FullName;
            string text;
            using (var reader = new StreamReader(entry.Open()))
            {
                text = reader.ReadToEnd();
            }

            entry.Delete();
            using var writer = new StreamWriter(zip.CreateEntry(changed).Open());
            writer.Write(text.Replace("\"summary\":\"", "\"summary\":\"(edited) ", StringComparison.Ordinal));
        }

        (_, output) = await RunAsync(tampered, ["mkdir extracted && cd extracted && unzip -q ../bundle.zip", .. commands]);
        Assert.Contains($"{changed} is altered", output);
    }

    [Theory]
    [InlineData("remove-item")]
    [InlineData("edit-controls")]
    [InlineData("edit-index")]
    [InlineData("add-file")]
    public async Task The_openssl_procedure_fails_on_a_bundle_changed_with_its_checksums_recomputed(string change)
    {
        var tampered = run.Dir.Combine($"openssl-{change}.zip");
        SignedBundleTests.Tamper(run.Bundle, tampered, change);
        var commands = ReadmeCommands(BundleText(run.Bundle, "README.txt")).Where(c => !c.StartsWith("aims ", StringComparison.Ordinal)).ToList();

        var (exit, output) = await RunAsync(tampered, commands);

        Assert.NotEqual(0, exit);
        Assert.Contains("Verification failure", output);
    }

    /// <summary>The lines of the ```sh blocks of a Markdown file.</summary>
    private static List<string> ShellBlocks(string markdown) =>
        ShellBlock().Matches(markdown).SelectMany(m => m.Groups[1].Value.Split('\n')).Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();

    /// <summary>The lines of a bundle README that show a command ("  $ command").</summary>
    private static List<string> ReadmeCommands(string readme) =>
        readme.Split('\n').Select(l => l.TrimStart()).Where(l => l.StartsWith("$ ", StringComparison.Ordinal)).Select(l => l[2..].TrimEnd()).ToList();

    private static string BundleText(string bundle, string path)
    {
        using var zip = ZipFile.OpenRead(bundle);
        using var reader = new StreamReader(zip.GetEntry(path)!.Open(), Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Runs the commands in order in one bash (stopping at the first failure) in a folder holding bundle.zip and publisher-key.pem.</summary>
    private async Task<(int Exit, string Output)> RunAsync(string bundle, IReadOnlyList<string> commands)
    {
        using var folder = new TempDirectory("aims-doc-commands");
        File.Copy(bundle, folder.Combine("bundle.zip"));
        File.Copy(run.PublicKey, folder.Combine("publisher-key.pem"));
        var aims = Path.Combine(AppContext.BaseDirectory, "aims.dll");
        var script = new StringBuilder("set -e -o pipefail\n")
            .Append("aims() { dotnet '").Append(aims).Append("' \"$@\"; }\n");
        foreach (var command in commands)
        {
            script.Append(command).Append('\n');
        }

        var start = new ProcessStartInfo("bash", ["-c", script.ToString()])
        {
            WorkingDirectory = folder.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex("```sh\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();
}
