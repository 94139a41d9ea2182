using System.Diagnostics;
using Aims.Testing;

namespace Aims.Functions.Tests.Worker;

/// <summary>
/// <c>dotnet publish</c> of src/Aims.Functions, once per test run (every test of the worker shares it): the same output
/// <c>azd deploy</c> ships, with functions.metadata, worker.config.json, extensions.json and host.json. ReadyToRun is
/// off here to keep the suite quick; the cold-start benchmark measures the ReadyToRun build.
/// </summary>
public static class PublishedWorker
{
    public const string Assembly = "Aims.Functions.dll";

    private static readonly Lazy<Task<string>> Output = new(PublishAsync);

    /// <summary>The publish folder.</summary>
    public static Task<string> DirectoryAsync() => Output.Value;

    private const string Prefix = "aims-functions-publish-";

    private static async Task<string> PublishAsync()
    {
        RemoveLeftovers();
        var output = Path.Combine(Path.GetTempPath(), $"{Prefix}{Environment.ProcessId}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(output);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
        {
            "publish", RepositoryPaths.Combine("src", "Aims.Functions", "Aims.Functions.csproj"), "-c", "Release", "-o", output,
            "-p:PublishReadyToRun=false", "--nologo", "-v", "q",
        })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish src/Aims.Functions failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        }

        return output;
    }

    /// <summary>Publish folders of earlier test runs whose process has ended (killed runs never reach ProcessExit).</summary>
    private static void RemoveLeftovers()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            if (int.TryParse(Path.GetFileName(folder).AsSpan(Prefix.Length), out var pid) && pid != Environment.ProcessId && !IsRunning(pid))
            {
                TryDelete(folder);
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
