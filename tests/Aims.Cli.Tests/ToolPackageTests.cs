using System.Diagnostics;
using System.Reflection;
using Aims.Testing;

namespace Aims.Cli.Tests;

/// <summary>The README's install path: pack the CLI as a .NET tool, install it from the local package, run it.</summary>
public sealed class ToolPackageTests
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Packed_tool_installs_from_a_local_source_and_answers_version()
    {
        // Given the CLI packed from the build this test runs against (same configuration, no second build)
        using var dir = new TempDirectory("aims-tool");
        var configuration = typeof(ToolPackageTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var version = typeof(AimsCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
        var packages = dir.Combine("packages");
        var pack = await DotnetAsync(RepositoryPaths.Root, "pack", RepositoryPaths.Combine("src", "Aims.Cli", "Aims.Cli.csproj"), "-c", configuration, "--no-build", "-o", packages);
        Assert.True(pack.Exit == 0, pack.Output);
        Assert.True(File.Exists(Path.Combine(packages, $"Aims.Evidence.Cli.{version}.nupkg")), pack.Output);

        // When it is installed into a tool path from that folder only (a config that clears every other source)
        var config = dir.Combine("nuget.config");
        await File.WriteAllTextAsync(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{packages}" />
              </packageSources>
            </configuration>
            """);
        var tools = dir.Combine("tools");
        var install = await DotnetAsync(dir.Path, "tool", "install", "Aims.Evidence.Cli", "--tool-path", tools, "--configfile", config, "--version", version);
        Assert.True(install.Exit == 0, install.Output);

        // Then the installed `aims` command runs and prints the packed version
        var aims = await RunAsync(Path.Combine(tools, OperatingSystem.IsWindows() ? "aims.exe" : "aims"), dir.Path, "--version");
        Assert.True(aims.Exit == 0, aims.Output);
        Assert.StartsWith(version, aims.Output.Trim(), StringComparison.Ordinal);
    }

    private static Task<(int Exit, string Output)> DotnetAsync(string workingDirectory, params string[] args) =>
        RunAsync(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet", workingDirectory, args);

    private static async Task<(int Exit, string Output)> RunAsync(string fileName, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Keep the child off the telemetry and first-run paths, which would reach for the network.
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(StepTimeout);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(fileName)} {string.Join(' ', args)} did not finish within {StepTimeout}.");
        }

        return (process.ExitCode, $"{await output}\n{await errors}");
    }
}
