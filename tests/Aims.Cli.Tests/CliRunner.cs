namespace Aims.Cli.Tests;

/// <summary>Runs the aims command in-process and captures what it prints.</summary>
internal static class CliRunner
{
    public static Task<(int Exit, string Output, string Errors)> RunAsync(params string[] args) => RunAsync(null, args);

    /// <summary>Runs with tables fitted to <paramref name="width"/> columns, as on a terminal that wide.</summary>
    public static async Task<(int Exit, string Output, string Errors)> RunAsync(int? width, params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = await AimsCli.RunAsync(args, output, errors, width: width);
        return (exit, output.ToString(), errors.ToString());
    }
}
