using Aims.Evidence;
using Aims.Evidence.Gaps;

namespace Aims.Collectors.Sources;

/// <summary>How every source describes itself for the digest, so "not configured" and "misconfigured" read alike.</summary>
public static class SourceStates
{
    /// <summary>
    /// Not configured (saying what to set) when <paramref name="configured"/> is false; otherwise the one-line detail its
    /// settings give, or, when they do not validate, the setting error. Neither ever holds a secret.
    /// </summary>
    public static SourceState Describe(IEvidenceSource source, bool configured, string notConfigured, Func<string> detail)
    {
        if (!configured)
        {
            return new SourceState(source.Family, source.Name, false, notConfigured);
        }

        try
        {
            return new SourceState(source.Family, source.Name, true, detail());
        }
        catch (InvalidSettingException ex)
        {
            return new SourceState(source.Family, source.Name, true, $"misconfigured: {ex.Message}");
        }
    }
}
