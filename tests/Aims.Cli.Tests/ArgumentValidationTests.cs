using Aims.Testing;

namespace Aims.Cli.Tests;

/// <summary>Arguments are checked before any work: exit 2, the option named, nothing written.</summary>
public sealed class ArgumentValidationTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _config;

    public ArgumentValidationTests() => _config = RepositoryPaths.CopySample(_dir.Combine("contoso"));

    public void Dispose() => _dir.Dispose();

    private string StorePath => _dir.Combine("store");

    [Fact]
    public async Task Run_with_out_pointing_at_a_file_fails_before_the_store_is_written()
    {
        var file = _dir.Combine("out.txt");
        File.WriteAllText(file, "x");

        var (exit, _, errors) = await CliRunner.RunAsync("run", "--config", _config, "--store", StorePath, "--out", file);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("--out", errors);
        Assert.Contains("is a file", errors);
        Assert.False(Directory.Exists(StorePath));
    }

    [Fact]
    public async Task Bundle_with_out_pointing_at_a_folder_is_refused()
    {
        Directory.CreateDirectory(_dir.Combine("folder"));

        var (exit, _, errors) = await CliRunner.RunAsync("bundle", "--config", _config, "--store", StorePath, "--out", _dir.Combine("folder"));

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("--out", errors);
        Assert.Contains("is a folder", errors);
    }

    [Theory]
    [InlineData("0001-01-01")]
    [InlineData("9999-12-31")]
    public async Task An_as_of_date_out_of_range_names_the_option_without_a_runtime_message(string date)
    {
        var (exit, output, errors) = await CliRunner.RunAsync("gaps", "--config", _config, "--store", StorePath, "--as-of", date);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains($"--as-of '{date}' is out of range", errors);
        Assert.DoesNotContain("un-representable", errors + output);
        Assert.DoesNotContain("Parameter", errors);
    }

    [Theory]
    [InlineData("gaps")]
    [InlineData("digest")]
    [InlineData("bundle")]
    public async Task An_unknown_ai_system_is_refused_by_every_command_that_filters_by_system(string command)
    {
        string[] args = [command, "--config", _config, "--store", StorePath, "--system", "nope"];
        var (exit, _, errors) = await CliRunner.RunAsync(command == "gaps" ? args : [.. args, "--out", _dir.Combine("out-" + command)]);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("--system 'nope' is not in the AI system inventory", errors);
        Assert.Contains("fraud-scoring", errors);
        Assert.False(Directory.Exists(_dir.Combine("out-" + command)));
    }

    [Fact]
    public async Task Gaps_without_configuration_is_bad_input_instead_of_an_analysis_of_defaults()
    {
        var (exit, output, errors) = await CliRunner.RunAsync("gaps", "--store", StorePath);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("--config", errors);
        Assert.Empty(output);
    }

    [Fact]
    public async Task An_error_points_to_the_subcommand_help()
    {
        var (_, _, errors) = await CliRunner.RunAsync("gaps", "--store", StorePath);

        Assert.Contains("Run 'aims gaps --help'", errors);
    }

    [Fact]
    public async Task A_requirements_file_with_an_unclosed_bracket_names_file_line_and_column()
    {
        var requirements = _dir.Combine("contoso", "requirements.yaml");
        File.WriteAllText(requirements, "requirements:\n  - id: x\n    kind: document\n    controls: [A.4.6\n    freshness: P1Y\n");

        var (exit, output, errors) = await CliRunner.RunAsync("gaps", "--config", _config, "--store", StorePath);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Matches(@"requirements\.yaml:\d+:\d+", errors);
        Assert.Contains("not valid YAML", errors);
        Assert.DoesNotContain("   at ", errors + output);
    }

    [Theory]
    [InlineData("https://admin:Hunter2Secret@github.example.com/api/v3")]
    [InlineData("https://github.example.com/api/v3?password=Hunter2Secret")]
    [InlineData("http://github.example.com/api/v3?token=Hunter2Secret")]
    public async Task A_base_url_with_credentials_is_refused_without_echoing_them(string baseUrl)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(_config))!;
        json["Aims"]!["Sources"]!["GitHub"] = new System.Text.Json.Nodes.JsonObject
        {
            ["BaseUrl"] = baseUrl,
            ["Token"] = "ghp_0123456789abcdefghijABCDEFGHIJ0123456789",
            ["Repositories"] = new System.Text.Json.Nodes.JsonArray("contoso/fraud-scoring"),
        };
        File.WriteAllText(_config, json.ToJsonString());

        var (exit, output, errors) = await CliRunner.RunAsync("collect", "--config", _config, "--store", StorePath);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("Aims:Sources:GitHub:BaseUrl", errors);
        Assert.DoesNotContain("Hunter2Secret", errors + output);
        Assert.False(Directory.Exists(StorePath));
    }
}
