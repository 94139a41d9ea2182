using Aims.Collectors.Microsoft.Arm;
using Aims.Collectors.Microsoft.Entra;
using Aims.Collectors.Microsoft.Tests.Fixtures;
using Aims.Collectors.Microsoft.Tests.Infrastructure;
using Aims.Collectors.Sources;
using Aims.Evidence;
using Aims.Evidence.Requirements;
using Aims.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aims.Collectors.Microsoft.Tests.Settings;

/// <summary>Both sources produce only kinds the domain knows, of their own family, each with a default requirement.</summary>
public sealed class SourceContractTests
{
    public static TheoryData<string> Sources => ["EntraId", "Azure"];

    [Theory]
    [MemberData(nameof(Sources))]
    public void Every_kind_is_known_belongs_to_the_source_family_and_has_a_default_requirement(string name)
    {
        var (source, values) = name == "EntraId"
            ? ((IEvidenceSource)new EntraIdSource(), new Dictionary<string, string?> { ["Groups:0"] = GraphIds.GovernanceGroup })
            : (new AzureSource(), new Dictionary<string, string?> { ["Subscriptions:0"] = ArmIds.Production });
        var context = new SourceContext(TimeProvider.System, NullLoggerFactory.Instance, ".", Credential: new FakeTokenCredential());
        var collector = source.Create(EvidenceHarness.Section($"Aims:Sources:{name}", values), context);
        var requirements = RequirementSet.LoadDefaults();

        Assert.Equal(name, source.Name);
        Assert.Equal(name, collector.Source);
        Assert.All(collector.Kinds, kind =>
        {
            Assert.True(EvidenceKinds.IsKnown(kind), kind);
            Assert.Equal(source.Family, EvidenceKinds.SourceOf(kind));
            Assert.Contains(requirements.Requirements, r => r.Kind == kind);
        });
        Assert.Equal(EvidenceKinds.All.Count(k => k.Source == source.Family), collector.Kinds.Count);
    }
}
