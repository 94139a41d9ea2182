namespace Aims.Collectors.Microsoft.Arm;

/// <summary>
/// One Azure evidence kind collected for one subscription. An area reports a failed subject through the scope and
/// goes on; it throws only for cancellation or a programming error.
/// </summary>
internal interface IArmArea
{
    string Kind { get; }

    Task CollectAsync(SubscriptionScope scope, AiInventory inventory, CancellationToken cancellationToken = default);
}

/// <summary>Areas that look at each AI resource share how a failed listing is reported.</summary>
internal static class ArmAreas
{
    /// <summary>Reports the listing failure for <paramref name="kind"/> and returns true when there is nothing to look at.</summary>
    public static async Task<bool> ReportListingFailureAsync(SubscriptionScope scope, AiInventory inventory, string kind, CancellationToken cancellationToken = default)
    {
        if (inventory.Failure is not { } failure)
        {
            return false;
        }

        await scope.ReportAsync(
            scope.Subscription,
            kind,
            $"{scope.SubscriptionPath}/resources",
            $"The AI resources could not be listed: {failure.Message}",
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return true;
    }
}
