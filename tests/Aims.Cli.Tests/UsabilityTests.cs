using Aims.Testing;

namespace Aims.Cli.Tests;

/// <summary>What a new user meets: suggestions for typos, warnings for unknown settings, help text, internal errors.</summary>
public sealed class UsabilityTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_mistyped_command_gets_a_did_you_mean()
    {
        var (exit, _, errors) = await CliRunner.RunAsync("colect");

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("Did you mean 'collect'", errors);
    }

    [Fact]
    public async Task A_mistyped_option_gets_a_did_you_mean_and_the_subcommand_help()
    {
        var (exit, _, errors) = await CliRunner.RunAsync("gaps", "--sotre", "x");

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("Did you mean '--store'", errors);
        Assert.Contains("Run 'aims gaps --help'", errors);
    }

    [Fact]
    public async Task Help_shows_each_default_once()
    {
        var (_, output, _) = await CliRunner.RunAsync("gaps", "--help");

        Assert.Equal(1, Count(output, ".aims/store"));
    }

    [Fact]
    public async Task As_of_help_on_a_command_that_does_not_collect_does_not_speak_of_stamping_items()
    {
        var (_, gaps, _) = await CliRunner.RunAsync("gaps", "--help");
        var (_, collect, _) = await CliRunner.RunAsync("collect", "--help");

        Assert.DoesNotContain("stamped", gaps);
        Assert.Contains("Analyse as of this date", gaps);
        Assert.Contains("stamped", collect);
    }

    [Fact]
    public async Task Misspelt_settings_under_aims_are_warned_with_the_closest_known_key()
    {
        var config = RepositoryPaths.CopySample(_dir.Combine("contoso"));
        File.WriteAllText(config, File.ReadAllText(config)
            .Replace("\"Organization\"", "\"Organisation\"", StringComparison.Ordinal)
            .Replace("\"Path\": \"documents\"", "\"Path\": \"documents\", \"Pth\": \"docs\"", StringComparison.Ordinal));

        var (exit, _, errors) = await CliRunner.RunAsync("gaps", "--config", config, "--store", _dir.Combine("store"));

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains("warning: Aims:Organisation is not a setting AIMS reads here; it is ignored. Did you mean Aims:Organization?", errors);
        Assert.Contains("warning: Aims:Sources:Documents:Pth is not a setting AIMS reads here; it is ignored. Did you mean Aims:Sources:Documents:Path?", errors);
        Assert.DoesNotContain("Aims:Sources:Documents:Path is not", errors);
    }

    [Fact]
    public async Task An_unexpected_exception_is_one_line_and_exit_70_without_a_stack_trace()
    {
        using var errors = new StringWriter();
        var io = new CliIO(TextWriter.Null, errors, false, TimeProvider.System) { Doing = "aims gaps" };

        var exit = await AimsCli.GuardAsync(io, () => throw new InvalidOperationException("Sequence contains no elements"));

        Assert.Equal(ExitCodes.InternalError, exit);
        Assert.Equal(70, exit);
        var text = errors.ToString();
        Assert.StartsWith("error: internal error while running 'aims gaps': InvalidOperationException: Sequence contains no elements", text);
        Assert.DoesNotContain("   at ", text);
        Assert.Contains("--verbose", text);
    }

    [Fact]
    public async Task With_verbose_an_unexpected_exception_prints_its_trace_redacted()
    {
        using var errors = new StringWriter();
        var io = new CliIO(TextWriter.Null, errors, false, TimeProvider.System) { Doing = "aims gaps", Verbose = true };

        var exit = await AimsCli.GuardAsync(io, () => Throw("failed with ghp_0123456789abcdefghijABCDEFGHIJ0123456789"));

        Assert.Equal(ExitCodes.InternalError, exit);
        Assert.Contains("   at ", errors.ToString());
        Assert.DoesNotContain("ghp_0123", errors.ToString());
    }

    [Fact]
    public async Task The_verbose_option_is_accepted_by_every_command()
    {
        var (exit, _, _) = await CliRunner.RunAsync("controls", "--format", "json", "--verbose");

        Assert.Equal(ExitCodes.Ok, exit);
    }

    private static Task<int> Throw(string message) => throw new InvalidOperationException(message);

    private static int Count(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
