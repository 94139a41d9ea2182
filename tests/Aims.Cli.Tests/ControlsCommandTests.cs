using System.Text.Json;

namespace Aims.Cli.Tests;

public sealed class ControlsCommandTests
{
    [Fact]
    public async Task Json_lists_the_38_annex_a_controls_and_the_clause_records()
    {
        var (exit, output, _) = await CliRunner.RunAsync("controls", "--format", "json");

        Assert.Equal(ExitCodes.Ok, exit);
        using var doc = JsonDocument.Parse(output);
        var controls = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(38, controls.Count(c => c.GetProperty("type").GetString() == "annex-a"));
        Assert.Equal(["9.2", "9.3", "10.2"], controls.Where(c => c.GetProperty("type").GetString() == "clause").Select(c => c.GetProperty("id").GetString()));
        Assert.All(controls, c => Assert.False(string.IsNullOrEmpty(c.GetProperty("title").GetString())));
        Assert.Contains(controls, c => c.GetProperty("id").GetString() == "A.6.1.3");
    }

    [Fact]
    public async Task An_unknown_format_is_bad_input()
    {
        var (exit, _, errors) = await CliRunner.RunAsync("controls", "--format", "xml");

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("xml", errors);
    }

    [Fact]
    public async Task An_unknown_command_is_bad_input()
    {
        var (exit, _, errors) = await CliRunner.RunAsync("explode");

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("explode", errors);
    }
}
