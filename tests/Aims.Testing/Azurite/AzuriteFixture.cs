using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Aims.Testing.Azurite;

/// <summary>
/// A real Azurite (the npm package pinned in the repository's package.json) on free ports on 127.0.0.1, with
/// in-memory persistence, started once per test collection and stopped (process tree killed) afterwards.
/// It never skips: when Azurite is missing or cannot start, every test that uses it fails with a message that
/// says to run <c>npm ci</c>. Set <c>AIMS_AZURITE_CONNECTION</c> to a connection string to use an Azurite that is
/// already running instead (e.g. <c>UseDevelopmentStorage=true</c>).
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string ExternalConnectionVariable = "AIMS_AZURITE_CONNECTION";
    public const string AccountName = "devstoreaccount1";

    /// <summary>Azurite's well-known development key (public, documented; not a secret).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static int _names;
    private readonly StringBuilder _output = new();
    private Process? _process;

    /// <summary>Blob endpoint (account root), e.g. <c>http://127.0.0.1:41234/devstoreaccount1</c>.</summary>
    public Uri BlobEndpoint { get; private set; } = null!;

    public Uri QueueEndpoint { get; private set; } = null!;

    /// <summary>Table endpoint (account root), e.g. <c>http://127.0.0.1:41236/devstoreaccount1</c>.</summary>
    public Uri TableEndpoint { get; private set; } = null!;

    /// <summary>A connection string with explicit endpoints for this Azurite.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>True when the fixture started Azurite itself (false with <see cref="ExternalConnectionVariable"/>).</summary>
    public bool IsOwnProcess => _process is not null;

    /// <summary>A container or queue name no other test uses: <c>{prefix}-{n}-{random}</c>, lowercase.</summary>
    public static string UniqueName(string prefix)
    {
        var name = $"{prefix.ToLowerInvariant()}-{Interlocked.Increment(ref _names)}-{RandomNumberGenerator.GetHexString(8, lowercase: true)}";
        return name.Length <= 63 ? name : throw new ArgumentException($"Prefix '{prefix}' makes a name longer than 63 characters.", nameof(prefix));
    }

    /// <summary>The Azurite launcher <c>npm ci</c> installs under <paramref name="repositoryRoot"/>; throws saying to run <c>npm ci</c> when it is missing.</summary>
    public static string ExecutableIn(string repositoryRoot)
    {
        var executable = Path.Combine(repositoryRoot, "node_modules", ".bin", OperatingSystem.IsWindows() ? "azurite.cmd" : "azurite");
        return File.Exists(executable)
            ? executable
            : throw new InvalidOperationException(
                $"Azurite is not installed: {executable} does not exist. Run `npm ci` in {repositoryRoot} (package.json pins azurite) and run the tests again.");
    }

    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable(ExternalConnectionVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            UseExternal(external);
            await WaitUntilAnsweringAsync(null).ConfigureAwait(false);
            return;
        }

        var root = FindRepositoryRoot();
        var executable = ExecutableIn(root);
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                await StartAsync(root, executable).ConfigureAwait(false);
                return;
            }
            catch (AzuriteStartException ex)
            {
                // Most often a port taken between choosing it and Azurite binding it: choose again.
                last = ex;
                Stop();
            }
        }

        throw new InvalidOperationException($"Azurite could not start after 3 attempts (run `npm ci` in {root} if it is missing or broken). {last?.Message}", last);
    }

    public Task DisposeAsync()
    {
        Stop();
        return Task.CompletedTask;
    }

    private async Task StartAsync(string root, string executable)
    {
        var (blob, queue, table) = (FreePort(), FreePort(), FreePort());
        var info = new ProcessStartInfo(executable)
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "--blobHost", "127.0.0.1", "--blobPort", $"{blob}",
            "--queueHost", "127.0.0.1", "--queuePort", $"{queue}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{table}",
            "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--silent", "--disableTelemetry",
        })
        {
            info.ArgumentList.Add(arg);
        }

        lock (_output)
        {
            _output.Clear();
        }

        try
        {
            _process = Process.Start(info) ?? throw new AzuriteStartException($"Process.Start returned no process for {executable}.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"Could not run {executable}: {ex.Message}. Azurite needs Node.js on PATH and `npm ci` in {root}.", ex);
        }

        _process.OutputDataReceived += (_, e) => Capture(e.Data);
        _process.ErrorDataReceived += (_, e) => Capture(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        BlobEndpoint = new Uri($"http://127.0.0.1:{blob}/{AccountName}");
        QueueEndpoint = new Uri($"http://127.0.0.1:{queue}/{AccountName}");
        TableEndpoint = new Uri($"http://127.0.0.1:{table}/{AccountName}");
        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint={BlobEndpoint};QueueEndpoint={QueueEndpoint};TableEndpoint={TableEndpoint}";
        await WaitUntilAnsweringAsync(_process).ConfigureAwait(false);
    }

    private void UseExternal(string connectionString)
    {
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        if (parts.TryGetValue("UseDevelopmentStorage", out var dev) && dev.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            BlobEndpoint = new Uri($"http://127.0.0.1:10000/{AccountName}");
            QueueEndpoint = new Uri($"http://127.0.0.1:10001/{AccountName}");
            TableEndpoint = new Uri($"http://127.0.0.1:10002/{AccountName}");
            ConnectionString = $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint={BlobEndpoint};QueueEndpoint={QueueEndpoint};TableEndpoint={TableEndpoint}";
            return;
        }

        if (!parts.TryGetValue("BlobEndpoint", out var blobEndpoint) || !parts.TryGetValue("QueueEndpoint", out var queueEndpoint)
            || !parts.TryGetValue("TableEndpoint", out var tableEndpoint))
        {
            throw new InvalidOperationException($"{ExternalConnectionVariable} must be UseDevelopmentStorage=true or name BlobEndpoint, QueueEndpoint and TableEndpoint.");
        }

        BlobEndpoint = new Uri(blobEndpoint.TrimEnd('/'));
        QueueEndpoint = new Uri(queueEndpoint.TrimEnd('/'));
        TableEndpoint = new Uri(tableEndpoint.TrimEnd('/'));
        ConnectionString = connectionString;
    }

    private async Task WaitUntilAnsweringAsync(Process? process)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        var pending = new List<Uri> { BlobEndpoint, QueueEndpoint, TableEndpoint };
        while (pending.Count > 0)
        {
            if (process is { HasExited: true })
            {
                throw new AzuriteStartException($"Azurite exited with code {process.ExitCode} before answering. Its output:\n{Output()}");
            }

            if (deadline.Elapsed > StartTimeout)
            {
                throw new AzuriteStartException($"Azurite did not answer on {string.Join(" and ", pending)} within {StartTimeout.TotalSeconds:0} s. Its output:\n{Output()}");
            }

            try
            {
                // Any HTTP answer (an authorization error is expected) means the service is up.
                using var response = await http.GetAsync(new Uri(pending[0] + "?comp=list")).ConfigureAwait(false);
                pending.RemoveAt(0);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
        }
    }

    private void Stop()
    {
        if (_process is null)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
        _process = null;
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 16_000)
            {
                _output.AppendLine(line);
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.Length == 0 ? "(none)" : _output.ToString();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The repository root: the nearest folder above the test binaries that holds package.json.</summary>
    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "package.json")) && dir.Name != "node_modules")
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No package.json above {AppContext.BaseDirectory}: cannot find the repository root to run Azurite from. Run the tests inside the repository after `npm ci`.");
    }

    private sealed class AzuriteStartException(string message) : Exception(message);
}
