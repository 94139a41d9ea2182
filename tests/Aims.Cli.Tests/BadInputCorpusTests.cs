using System.Security.Cryptography;
using Aims.Testing;

namespace Aims.Cli.Tests;

/// <summary>
/// Every kind of bad input against a store that already holds a run: exit 2, a message naming the file, line or
/// setting, no stack trace, and the store exactly as it was.
/// </summary>
public sealed class BadInputCorpusTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private string _config = "";

    private string Store => _dir.Combine("store");

    public async Task InitializeAsync()
    {
        _config = RepositoryPaths.CopySample(_dir.Combine("contoso"));
        var (exit, _, errors) = await CliRunner.RunAsync("collect", "--config", _config, "--store", Store, "--as-of", "2026-12-01");
        Assert.True(exit == ExitCodes.Ok, errors);
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    public static TheoryData<string, string> Cases => new()
    {
        { "requirements-unclosed-bracket", "requirements.yaml:" },
        { "requirements-unknown-control", "requirements.yaml:" },
        { "inventory-unclosed-bracket", "inventory.yaml:" },
        { "config-not-json", "aims.json" },
        { "documents-path-is-a-file", "Aims:Sources:Documents:Path" },
        { "documents-path-missing", "Aims:Sources:Documents:Path" },
        { "parallelism-out-of-range", "Aims:Collection:Parallelism" },
        { "as-of-out-of-range", "--as-of" },
        { "out-is-a-file", "--out" },
        { "unknown-system", "--system" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_is_exit_2_naming_the_problem_and_leaves_the_store_unchanged(string name, string named)
    {
        var before = Snapshot();
        var args = Break(name);

        var (exit, output, errors) = await CliRunner.RunAsync(args);

        Assert.True(exit == ExitCodes.BadInput, $"{name}: exit {exit}\n{errors}");
        Assert.Contains(named, errors);
        Assert.DoesNotContain("   at ", errors + output);
        Assert.Equal(before, Snapshot());
    }

    private string[] Break(string name)
    {
        var folder = Path.GetDirectoryName(_config)!;
        var run = new[] { "run", "--config", _config, "--store", Store, "--as-of", "2026-12-01", "--out", _dir.Combine("out") };
        switch (name)
        {
            case "requirements-unclosed-bracket":
                File.WriteAllText(Path.Combine(folder, "requirements.yaml"), "requirements:\n  - id: x\n    controls: [A.2.2\n");
                return run;
            case "requirements-unknown-control":
                File.WriteAllText(Path.Combine(folder, "requirements.yaml"), "requirements:\n  - id: x\n    kind: document\n    controls: [A.42]\n    freshness: P1Y\n    owner: me\n");
                return run;
            case "inventory-unclosed-bracket":
                File.WriteAllText(Path.Combine(folder, "inventory.yaml"), "aiSystems:\n  - id: [fraud\n");
                return run;
            case "config-not-json":
                File.WriteAllText(_config, "{ \"Aims\": { ");
                return run;
            case "documents-path-is-a-file":
                File.WriteAllText(_config, File.ReadAllText(_config).Replace("\"Path\": \"documents\"", "\"Path\": \"aims.json\"", StringComparison.Ordinal));
                return run;
            case "documents-path-missing":
                File.WriteAllText(_config, File.ReadAllText(_config).Replace("\"Path\": \"documents\"", "\"Path\": \"no-such-folder\"", StringComparison.Ordinal));
                return run;
            case "parallelism-out-of-range":
                File.WriteAllText(_config, File.ReadAllText(_config).Replace("\"Parallelism\": 4", "\"Parallelism\": 0", StringComparison.Ordinal));
                return run;
            case "as-of-out-of-range":
                return ["run", "--config", _config, "--store", Store, "--as-of", "0001-01-01", "--out", _dir.Combine("out")];
            case "out-is-a-file":
                File.WriteAllText(_dir.Combine("out-file"), "x");
                return ["run", "--config", _config, "--store", Store, "--as-of", "2026-12-01", "--out", _dir.Combine("out-file")];
            case "unknown-system":
                return ["digest", "--config", _config, "--store", Store, "--system", "nope", "--out", _dir.Combine("out")];
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "no such case");
        }
    }

    /// <summary>Every file of the store with its hash, so any write, removal or addition shows.</summary>
    private string Snapshot() => string.Join('\n', Directory.EnumerateFiles(Store, "*", SearchOption.AllDirectories)
        .Order(StringComparer.Ordinal)
        .Select(f => $"{Path.GetRelativePath(Store, f)} {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f)))}"));
}
