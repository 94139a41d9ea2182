using System.Diagnostics;
using System.Text;
using Aims.Testing;

namespace Aims.Functions.Tests.Deployment;

/// <summary>Publishes src/Aims.Functions once (Release, ReadyToRun for linux-x64, as CI and azd do) into a temp folder.</summary>
public sealed class PublishedApp : IAsyncLifetime
{
    private readonly TempDirectory _folder = new("aims-publish");

    public string Output => _folder.Combine("out");

    public string Log { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var (exit, output) = await DotnetAsync(RepositoryPaths.Root, TimeSpan.FromMinutes(8),
            "publish", RepositoryPaths.Combine("src", "Aims.Functions"), "--configuration", "Release", "--output", Output, "-nologo");
        Log = output;
        if (exit != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed ({exit}):\n{output}");
        }
    }

    public Task DisposeAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Runs the dotnet CLI and returns its exit code and combined output.</summary>
    public static async Task<(int Exit, string Output)> DotnetAsync(string workingDirectory, TimeSpan timeout, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', args)} did not finish within {timeout}.");
        }

        output.Append(await stdout).Append(await stderr);
        return (process.ExitCode, output.ToString());
    }
}
