namespace Aims.Collectors.Microsoft.Entra;

/// <summary>
/// One evidence area of Entra ID (one kind), collected as one job. An area reports a failed subject through the
/// scope and goes on; it throws only for cancellation or a programming error.
/// </summary>
internal interface IEntraArea
{
    string Kind { get; }

    /// <summary>Whether the settings give this area anything to look at (e.g. no groups configured: no group-members job).</summary>
    bool IsConfigured(EntraIdSettings settings);

    Task CollectAsync(EntraJobScope scope, CancellationToken cancellationToken = default);
}
