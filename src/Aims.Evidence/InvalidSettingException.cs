namespace Aims.Evidence;

/// <summary>
/// A configuration setting is missing or invalid. The message names the setting (e.g. <c>Aims:Sources:GitHub:BaseUrl</c>)
/// so the operator can fix it; the CLI exits 2 and nothing is written.
/// </summary>
public sealed class InvalidSettingException(string setting, string reason)
    : Exception($"Setting '{setting}': {reason}")
{
    public string Setting { get; } = setting;

    public string Reason { get; } = reason;
}
