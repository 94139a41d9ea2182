namespace Aims.Cli.Tests;

/// <summary>Runs the aims command in-process and captures what it prints.</summary>
internal static class CliRunner
{
    public static async Task<(int Exit, string Output, string Errors)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = await AimsCli.RunAsync(args, output, errors);
        return (exit, output.ToString(), errors.ToString());
    }
}
