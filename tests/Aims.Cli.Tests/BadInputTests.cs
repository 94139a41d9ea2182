using Aims.Testing;

namespace Aims.Cli.Tests;

/// <summary>Malformed configuration or requirements: a message that names the problem, exit 2, nothing written.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string StorePath => _dir.Combine("store");

    [Fact]
    public async Task Malformed_configuration_json_names_the_file_and_line()
    {
        var config = _dir.Combine("aims.json");
        File.WriteAllText(config, "{\n  \"Aims\": {\n    \"Organization\": \"Contoso\",,\n  }\n}");

        var (exit, _, errors) = await CliRunner.RunAsync("collect", "--config", config, "--store", StorePath);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains(config, errors);
        Assert.Contains("line 3", errors);
        Assert.False(Directory.Exists(StorePath));
    }

    [Fact]
    public async Task A_missing_configuration_file_is_named()
    {
        var (exit, _, errors) = await CliRunner.RunAsync("gaps", "--config", _dir.Combine("nope.json"), "--store", StorePath);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("nope.json", errors);
        Assert.False(Directory.Exists(StorePath));
    }

    [Fact]
    public async Task A_bad_requirements_file_names_file_line_and_reason_and_writes_nothing()
    {
        var config = RepositoryPaths.CopySample(_dir.Combine("contoso"));
        var requirements = _dir.Combine("contoso", "requirements.yaml");
        File.WriteAllText(requirements, "requirements:\n  - id: x\n    kind: document\n    controls: [A.42]\n    freshness: P1Y\n    owner: me\n");

        var (exit, _, errors) = await CliRunner.RunAsync("run", "--config", config, "--store", StorePath, "--out", _dir.Combine("out"));

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains($"{requirements}:4:", errors);
        Assert.Contains("unknown control 'A.42'", errors);
        Assert.False(Directory.Exists(StorePath));
        Assert.False(Directory.Exists(_dir.Combine("out")));
    }

    [Fact]
    public async Task An_unknown_source_is_named_with_its_setting()
    {
        var config = _dir.Combine("aims.json");
        File.WriteAllText(config, """{ "Aims": { "Sources": { "Gitlab": { "BaseUrl": "https://gitlab.example" } } } }""");

        var (exit, _, errors) = await CliRunner.RunAsync("collect", "--config", config, "--store", StorePath);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("Aims:Sources:Gitlab", errors);
        Assert.False(Directory.Exists(StorePath));
    }

    [Fact]
    public async Task A_bad_audit_date_names_the_setting()
    {
        var config = _dir.Combine("aims.json");
        File.WriteAllText(config, """{ "Aims": { "Audit": { "Dates": [ "next spring" ] } } }""");

        var (exit, _, errors) = await CliRunner.RunAsync("gaps", "--config", config, "--store", StorePath);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("Aims:Audit:Dates:0", errors);
    }

    [Fact]
    public async Task A_malformed_as_of_date_is_bad_input()
    {
        var (exit, _, errors) = await CliRunner.RunAsync("gaps", "--store", StorePath, "--as-of", "tomorrow");

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("--as-of 'tomorrow'", errors);
    }

    [Fact]
    public async Task A_malformed_inventory_entry_names_file_entry_and_field_and_writes_nothing()
    {
        var config = RepositoryPaths.CopySample(_dir.Combine("contoso"));
        var inventory = _dir.Combine("contoso", "inventory.yaml");
        File.WriteAllText(inventory, File.ReadAllText(inventory).Replace("riskClass: limited", "riskClass: tolerable", StringComparison.Ordinal));

        var (exit, _, errors) = await CliRunner.RunAsync("run", "--config", config, "--store", StorePath, "--out", _dir.Combine("out"));

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains(inventory, errors);
        Assert.Contains("AI system 'support-assistant': field 'riskClass' is 'tolerable'", errors);
        Assert.False(Directory.Exists(StorePath));
        Assert.False(Directory.Exists(_dir.Combine("out")));
    }
}
