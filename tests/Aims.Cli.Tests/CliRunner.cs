using Microsoft.Extensions.Time.Testing;

namespace Aims.Cli.Tests;

/// <summary>Runs the aims command in-process and captures what it prints.</summary>
internal static class CliRunner
{
    /// <summary>The real-clock stand-in the tests stamp evidence with: noon on the sample's analysis date.</summary>
    public static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    public static Task<(int Exit, string Output, string Errors)> RunAsync(params string[] args) => RunAtAsync(new FakeTimeProvider(Now), null, args);

    /// <summary>Runs with tables fitted to <paramref name="width"/> columns, as on a terminal that wide.</summary>
    public static Task<(int Exit, string Output, string Errors)> RunAsync(int? width, params string[] args) => RunAtAsync(new FakeTimeProvider(Now), width, args);

    /// <summary>Runs with <paramref name="clock"/> as the real clock (what observations, ledger entries and bundles are stamped with).</summary>
    public static Task<(int Exit, string Output, string Errors)> RunAtAsync(TimeProvider clock, params string[] args) => RunAtAsync(clock, null, args);

    private static async Task<(int Exit, string Output, string Errors)> RunAtAsync(TimeProvider clock, int? width, string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = await AimsCli.RunAsync(args, output, errors, clock, width: width);
        return (exit, output.ToString(), errors.ToString());
    }
}
