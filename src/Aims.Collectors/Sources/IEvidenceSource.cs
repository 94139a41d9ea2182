using Aims.Evidence.Collection;
using Aims.Evidence.Gaps;
using Microsoft.Extensions.Configuration;

namespace Aims.Collectors.Sources;

/// <summary>
/// A kind of source the product can collect from (<c>GitHub</c>, <c>Documents</c>, <c>Jira</c>...): it reads its
/// settings from <c>Aims:Sources:{Name}</c>, says whether it is configured, and builds its collector.
/// </summary>
public interface IEvidenceSource
{
    /// <summary>The configuration section name under <c>Aims:Sources</c>.</summary>
    string Name { get; }

    /// <summary>The source family evidence kinds name (<see cref="Aims.Evidence.EvidenceKinds.SourceOf"/>).</summary>
    string Family { get; }

    /// <summary>Configured or not, and a short detail for the digest (never a secret).</summary>
    SourceState Describe(IConfigurationSection section);

    /// <summary>
    /// Builds the collector from its settings. Throws <see cref="Aims.Evidence.InvalidSettingException"/> naming the
    /// setting when the configuration is invalid.
    /// </summary>
    IEvidenceCollector Create(IConfigurationSection section, SourceContext context);
}
