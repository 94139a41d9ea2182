using System.Text;
using System.Text.Json.Nodes;
using Aims.Functions.Functions;
using Aims.Functions.Hosting;
using Aims.Pipeline;
using Aims.Testing;
using Aims.Testing.Azurite;
using Azure.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Aims.Functions.Tests.Infrastructure;

/// <summary>
/// The handler started in-process exactly as Program.cs starts it, on 127.0.0.1 and a free
/// FUNCTIONS_CUSTOMHANDLER_PORT, over a copy of the Contoso sample and a folder store; plus a client that talks to it
/// the way the Functions host does.
/// </summary>
public sealed class HandlerHost : IAsyncDisposable
{
    public const string HostVersion = "4.1041.200.0";
    private readonly WebApplication _app;
    private int _invocations;

    private HandlerHost(WebApplication app, TempDirectory folder, Uri baseUri, FakeTimeProvider time)
    {
        _app = app;
        Folder = folder;
        BaseUri = baseUri;
        Time = time;
        Client = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(60) };
    }

    public TempDirectory Folder { get; }

    public Uri BaseUri { get; }

    public FakeTimeProvider Time { get; }

    public HttpClient Client { get; }

    public FunctionsRuntime Runtime => _app.Services.GetRequiredService<FunctionsRuntime>();

    public string StorePath => Folder.Combine("store");

    /// <summary>Starts the handler. <paramref name="settings"/> are laid over the sample's configuration.</summary>
    public static async Task<HandlerHost> StartAsync(
        IDictionary<string, string?>? settings = null,
        SourceRegistry? sources = null,
        HttpMessageHandler? httpHandler = null,
        TokenCredential? credential = null,
        DateTimeOffset? now = null,
        AzuriteFixture? azurite = null)
    {
        var folder = new TempDirectory("aims-functions");
        try
        {
            var config = RepositoryPaths.CopySample(folder.Combine("org"));
            var port = FreePort.Next();
            var all = new Dictionary<string, string?>
            {
                [AppSettingNames.CustomHandlerPort] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [AppSettingNames.ConfigFile] = config,
                // The contract and end-to-end tests store evidence in Azurite, each in a container of its own.
                ["Aims:Store"] = azurite is null ? folder.Combine("store") : $"{azurite.ConnectionString};Container={AzuriteFixture.UniqueName("functions")}",
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                all[key] = value;
            }

            var time = new FakeTimeProvider(now ?? new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero));
            for (var attempt = 1; ; attempt++)
            {
                var builder = WebApplication.CreateSlimBuilder();
                builder.Logging.ClearProviders();
                builder.AddAimsFunctions(new HandlerOverrides
                {
                    Settings = all,
                    Time = time,
                    Sources = sources,
                    HttpHandler = httpHandler,
                    Credential = credential ?? new FakeTokenCredential(),
                });
                var app = builder.BuildAimsFunctions();
                app.MapAimsFunctions();
                try
                {
                    await app.StartAsync();
                    return new HandlerHost(app, folder, new Uri($"http://127.0.0.1:{port}/"), time);
                }
                catch (IOException) when (attempt < 3)
                {
                    // Another test took the free port between choosing and binding it: choose again.
                    await app.DisposeAsync();
                    port = FreePort.Next();
                    all[AppSettingNames.CustomHandlerPort] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    /// <summary>POSTs an invocation to <c>/{function}</c> with the host's headers and returns the status and parsed answer.</summary>
    public async Task<HostAnswer> InvokeAsync(string function, JsonObject payload)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, function)
        {
            Content = new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Azure-Functions-InvocationId", $"00000000-0000-4000-8000-{Interlocked.Increment(ref _invocations):D12}");
        request.Headers.Add("X-Azure-Functions-HostVersion", HostVersion);
        request.Headers.UserAgent.ParseAdd("Azure-Functions-Host/" + HostVersion);
        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new HostAnswer((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Folder.Dispose();
    }
}

/// <summary>What the handler answered to an invocation.</summary>
public sealed record HostAnswer(int Status, JsonObject? Body)
{
    public JsonObject Outputs => Body?["Outputs"] as JsonObject ?? [];

    public IReadOnlyList<string> Logs => (Body?["Logs"] as JsonArray ?? []).Select(l => l!.GetValue<string>()).ToList();

    public string AllLogs => string.Join("\n", Logs);
}
