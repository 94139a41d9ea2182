using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Aims.Functions.Hosting;
using Aims.Pipeline;
using Aims.Pipeline.Hosting;
using Aims.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Aims.Functions.Tests.Deployment;

/// <summary>
/// Bicep cannot be compiled here, so these tests hold infra/ and docs/deploy.md to the code: every <c>Aims__*</c> name
/// they mention is a setting the code reads, every app setting the app reads by name is declared, and the settings infra
/// writes for every source, filled the way azd fills them, are accepted by the app at start.
/// </summary>
public sealed partial class DeploymentSettingsTests
{
    private static readonly string Resources = File.ReadAllText(RepositoryPaths.Combine("infra", "resources.bicep"));
    private static readonly string Main = File.ReadAllText(RepositoryPaths.Combine("infra", "main.bicep"));
    private static readonly string Deploy = File.ReadAllText(RepositoryPaths.Combine("docs", "deploy.md"));

    private static HashSet<string> BicepAppSettings() => [.. AppSettingPattern().Matches(Resources).Select(m => m.Groups[1].Value)];

    /// <summary>Every <c>Aims__…</c> name in docs/deploy.md and infra/ (what <c>grep -r "Aims__" docs/deploy.md infra/</c> shows).</summary>
    private static SortedSet<string> NamedAimsSettings()
    {
        var texts = new[] { Deploy }.Concat(Directory.EnumerateFiles(RepositoryPaths.Combine("infra"), "*", SearchOption.AllDirectories).Select(File.ReadAllText));
        return [.. texts.SelectMany(t => AimsNamePattern().Matches(t).Select(m => m.Value))];
    }

    [Fact]
    public void Every_Aims_setting_named_in_deploy_md_and_infra_is_one_the_code_reads()
    {
        var literals = SourceLiterals();
        var sources = KnownSources();
        var named = NamedAimsSettings();

        Assert.Contains("Aims__Sources__GitHub__Topic", named);
        foreach (var name in named)
        {
            var segments = name.Split("__")[1..];
            if (segments[0] == "Sources")
            {
                Assert.True(segments.Length >= 3 && sources.Contains(segments[1]), $"{name}: '{segments.ElementAtOrDefault(1)}' is not a source the product implements.");
                segments = segments[2..];
            }

            Assert.All(segments.Where(s => !s.All(char.IsAsciiDigit)),
                segment => Assert.True(literals.Contains(segment), $"{name}: no code reads a setting named '{segment}'."));
        }
    }

    [Fact]
    public void The_settings_infra_writes_for_every_source_are_accepted_by_the_app()
    {
        using var folder = new TempDirectory();
        var values = BicepAppSettings().ToDictionary(n => n.Replace("__", ":", StringComparison.Ordinal), n => (string?)SampleValue(n, folder.Path));

        // Every source infra can configure is configured, so each one's settings are validated as the app starts.
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(new PipelineOverrides { Credential = new FakeTokenCredential() })
            .AddAimsFunctions(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), folder.Path)
            .BuildServiceProvider();
        services.ValidateAimsFunctions();

        var configured = services.GetRequiredService<EvidencePipeline>().ConfiguredSources;
        Assert.All(new[] { "GitHub", "Jira", "ServiceNow", "GitHubIssues", "EntraId", "Azure", "Documents", "DocumentsBlob" }, s => Assert.Contains(s, configured));
    }

    [Fact]
    public void Every_app_setting_the_app_reads_by_name_is_declared_in_bicep()
    {
        var declared = BicepAppSettings();
        var names = typeof(AppSettingNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => AppSettingNames.AppSetting((string)f.GetRawConstantValue()!))
            // Flex Consumption takes the runtime from functionAppConfig; the connection string variant is for outside Azure.
            .Where(n => n is not (AppSettingNames.WorkerRuntime or "Aims__Events__ServiceBus__ConnectionString"));

        Assert.All(names, name => Assert.True(declared.Contains(name) || declared.Any(d => d.StartsWith(name + "__", StringComparison.Ordinal)), $"{name} is not declared in infra/resources.bicep"));
    }

    [Fact]
    public void The_queues_and_table_the_app_uses_are_created_and_connections_are_identity_based()
    {
        foreach (var name in new[] { QueueNames.CollectJobs, QueueNames.CollectJobsPoison, QueueNames.AnalyzeRuns, QueueNames.BundleBuilds })
        {
            Assert.Contains($"'{name}'", Resources);
        }

        Assert.Contains($"name: '{QueueNames.RunsTable}'", Resources);
        Assert.Contains("AzureWebJobsStorage__credential', value: 'managedidentity'", Resources);
        Assert.Contains("allowSharedKeyAccess: false", Resources);
        Assert.Contains("runtime: { name: 'dotnet-isolated', version: '10.0' }", Resources);
        Assert.Contains("tier: 'FlexConsumption'", Resources);
        Assert.DoesNotContain("customHandler", Resources, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Main_passes_every_parameter_and_the_parameters_file_sets_every_one()
    {
        var resourceParams = ParamPattern().Matches(Resources).Select(m => m.Groups[1].Value).ToList();
        var mainParams = ParamPattern().Matches(Main).Select(m => m.Groups[1].Value).ToList();
        var parameterFile = JsonNode.Parse(File.ReadAllText(RepositoryPaths.Combine("infra", "main.parameters.json")))!["parameters"]!.AsObject();

        Assert.All(resourceParams.Where(p => p is not ("tags" or "token")), p => Assert.Matches($@"\n\s+{p}: {p}\n", Main));
        Assert.Equal(mainParams.Order(), parameterFile.Select(p => p.Key).Order());
    }

    /// <summary>What azd and Key Vault would put in each app setting (a test value of the right shape).</summary>
    private static string SampleValue(string name, string folder) => name switch
    {
        "Aims__Store" => folder,
        "AzureWebJobsStorage__accountName" => "staimstest",
        "Aims__Sources__Documents__Path" => folder,
        "Aims__Sources__DocumentsBlob__ContainerUrl" => "https://staimstest.blob.core.windows.net/documents",
        "Aims__Sources__DocumentsBlob__ClientId" => "11111111-2222-3333-4444-555555555555",
        "Aims__Sources__Azure__Subscriptions" => "00000000-0000-0000-0000-000000000001",
        // What keyUriWithVersion gives for the signing key infra creates.
        "Aims__Signing__KeyVaultKeyId" => "https://kv-aims-test.vault.azure.net/keys/aims-signing/0123456789abcdef0123456789abcdef",
        "Aims__Sources__EntraId__AppTags" => "ai-system",
        // Bicep writes the fixed list only without an organization; here the organization is set.
        "Aims__Sources__GitHub__Repositories" => "",
        "Aims__Sources__GitHubIssues__Repositories" => "contoso/ai-incidents",
        "Aims__Sources__Jira__Projects" => "AIRISK",
        "Aims__Sources__Jira__Email" => "aims@contoso.example",
        "Aims__Sources__ServiceNow__Username" => "aims-integration",
        "Aims__Sources__GitHub__Topic" => "ai-system",
        "Aims__Sources__GitHub__Organization" => "contoso",
        "Aims__Events__ServiceBus__FullyQualifiedNamespace" => "sb-aims-test.servicebus.windows.net",
        "Aims__Events__ServiceBus__Topic" => "aims-events",
        "Aims__Runs__CompleteWithin" => "06:00:00",
        "AIMS_COLLECT_SCHEDULE" => "0 0 2 * * *",
        "AIMS_CHECK_RUNS_SCHEDULE" => "0 30 * * * *",
        "AIMS_CONFIG" or "Aims__Notifications__DigestUrl" or "Aims__Notifications__Email__Sender" or "Aims__Notifications__Email__To"
            or "Aims__Notifications__GitHubIssue__Repository" or "Aims__Notifications__Teams__WebhookUrl" or "Aims__Notifications__GitHubIssue__Token"
            or "APPLICATIONINSIGHTS_CONNECTION_STRING" or "APPLICATIONINSIGHTS_AUTHENTICATION_STRING" => "",
        _ when name.EndsWith("BaseUrl", StringComparison.Ordinal) => name.Contains("Jira", StringComparison.Ordinal) ? "https://contoso.atlassian.net"
            : name.Contains("ServiceNow", StringComparison.Ordinal) ? "https://contoso.service-now.com" : name.Contains("Graph", StringComparison.Ordinal) ? "https://graph.microsoft.com/v1.0" : "https://api.github.com",
        _ when name.EndsWith("Token", StringComparison.Ordinal) || name.EndsWith("Password", StringComparison.Ordinal) || name.EndsWith("ApiToken", StringComparison.Ordinal) => "secret-from-key-vault",
        _ => "test",
    };

    /// <summary>The names of every source the product implements.</summary>
    private static HashSet<string> KnownSources() => SourceRegistry.CreateDefault().All.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>Every string literal in src/ split at ':' (setting names are read as literals like "Token" or $"{Section}:Email").</summary>
    private static HashSet<string> SourceLiterals()
    {
        var literals = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(RepositoryPaths.Combine("src"), "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/", StringComparison.Ordinal)))
        {
            foreach (Match m in LiteralPattern().Matches(File.ReadAllText(file)))
            {
                foreach (var part in m.Groups[1].Value.Split(':', '}', '{', ' '))
                {
                    literals.Add(part);
                }
            }
        }

        return literals;
    }

    [GeneratedRegex(@"\{ name: '([A-Za-z0-9_]+)', value:")]
    private static partial Regex AppSettingPattern();

    [GeneratedRegex(@"(?m)^param (\w+) ")]
    private static partial Regex ParamPattern();

    [GeneratedRegex("\"([^\"\\\\\\n]*)\"")]
    private static partial Regex LiteralPattern();

    [GeneratedRegex(@"Aims__[A-Za-z0-9]+(__[A-Za-z0-9]+)*")]
    private static partial Regex AimsNamePattern();
}
