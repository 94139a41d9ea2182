using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Aims.Collectors.Sources;
using Aims.Functions.Hosting;
using Aims.Pipeline;
using Aims.Testing;

namespace Aims.Functions.Tests.Deployment;

/// <summary>
/// Bicep cannot be compiled here, so these tests hold infra/ to the code: every app setting the handler reads is
/// declared, every <c>Aims__*</c> setting declared is one the code reads, and names shared with function.json agree.
/// </summary>
public sealed partial class InfraConsistencyTests
{
    private static readonly string Resources = File.ReadAllText(RepositoryPaths.Combine("infra", "resources.bicep"));
    private static readonly string Main = File.ReadAllText(RepositoryPaths.Combine("infra", "main.bicep"));

    private static HashSet<string> BicepAppSettings() =>
        [.. AppSettingPattern().Matches(Resources).Select(m => m.Groups[1].Value)];

    private static IEnumerable<string> SettingsTheCodeReads() =>
        typeof(AppSettingNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            // The host sets the port itself when it starts the handler.
            .Where(name => name != AppSettingNames.CustomHandlerPort);

    [Fact]
    public void Every_app_setting_the_handler_reads_is_declared_in_bicep()
    {
        var declared = BicepAppSettings();

        Assert.All(SettingsTheCodeReads(), name => Assert.Contains(name, declared));
    }

    [Fact]
    public void Every_Aims_setting_in_bicep_is_one_the_code_reads()
    {
        var known = SettingsTheCodeReads().ToHashSet(StringComparer.Ordinal);
        var literals = SourceLiterals();
        var sources = KnownSources();

        foreach (var name in BicepAppSettings().Where(n => n.StartsWith("Aims__", StringComparison.Ordinal) && !known.Contains(n)))
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
    public void The_schedules_and_connections_named_in_function_json_are_app_settings()
    {
        var declared = BicepAppSettings();
        foreach (var file in Directory.EnumerateFiles(RepositoryPaths.Combine("src", "Aims.Functions", "functions"), "function*.json", SearchOption.AllDirectories))
        {
            foreach (var binding in JsonNode.Parse(File.ReadAllText(file))!["bindings"]!.AsArray())
            {
                if (binding!["schedule"]?.GetValue<string>() is { } schedule)
                {
                    Assert.Matches("^%[A-Z_]+%$", schedule);
                    Assert.Contains(schedule.Trim('%'), declared);
                }

                if (binding["connection"]?.GetValue<string>() is { } connection)
                {
                    Assert.Contains(declared, d => d.StartsWith(connection + "__", StringComparison.Ordinal));
                }
            }
        }
    }

    [Fact]
    public void The_queues_the_bindings_use_are_created()
    {
        foreach (var queue in new[] { "collect-jobs", "collect-jobs-poison" })
        {
            Assert.Contains($"name: '{queue}'", Resources);
        }
    }

    [Fact]
    public void The_evidence_container_is_write_once_and_keys_are_disabled()
    {
        Assert.Contains("allowSharedKeyAccess: false", Resources);
        Assert.Contains("isVersioningEnabled: true", Resources);
        Assert.Matches(@"evidence 'Microsoft\.Storage/storageAccounts/blobServices/containers@[^']+' = \{[^}]*immutableStorageWithVersioning: \{ enabled: true \}", Resources.ReplaceLineEndings(" "));
        Assert.Contains("runtime: { name: 'dotnet-isolated', version: '10.0' }", Resources);
        Assert.Contains("tier: 'FlexConsumption'", Resources);
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

    /// <summary>The names of every source the product implements (registered or not yet registered by the pipeline).</summary>
    private static HashSet<string> KnownSources()
    {
        var names = SourceRegistry.CreateDefault().All.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var type in typeof(IEvidenceSource).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IEvidenceSource).IsAssignableFrom(t)))
        {
            if (type.GetConstructor(Type.EmptyTypes) is not null)
            {
                names.Add(((IEvidenceSource)Activator.CreateInstance(type)!).Name);
            }
        }

        return names;
    }

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
}
