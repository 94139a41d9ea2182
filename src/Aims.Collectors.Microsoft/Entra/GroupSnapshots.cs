using System.Globalization;

namespace Aims.Collectors.Microsoft.Entra;

/// <summary>A snapshot a delta round can start from, or why the group is read in full.</summary>
internal sealed record SnapshotLookup(GroupSnapshot? Snapshot, string? FullReadReason);

/// <summary>
/// Loads and saves <see cref="GroupSnapshot"/>s through the host's collector state. State is an optimization: no
/// store, no snapshot, a snapshot that cannot be read or used, or one whose full read is too old all mean a full read,
/// and a snapshot that cannot be saved only costs the next run a full read.
/// </summary>
internal static class GroupSnapshots
{
    public static async Task<SnapshotLookup> LoadAsync(EntraJobScope scope, string groupId, CancellationToken cancellationToken = default)
    {
        if (scope.State is null)
        {
            return new SnapshotLookup(null, "no collector state store");
        }

        if (scope.Settings.FullReadEveryDays == 0)
        {
            return new SnapshotLookup(null, $"delta re-runs are off ({scope.Settings.Credential.SettingPrefix}:FullReadEveryDays is 0)");
        }

        var key = GroupSnapshot.Key(groupId);
        GroupSnapshot snapshot;
        try
        {
            var content = await scope.State.OpenAsync(EntraIdSource.SourceName, key, cancellationToken).ConfigureAwait(false);
            if (content is null)
            {
                return new SnapshotLookup(null, "no saved state");
            }

            await using (content.ConfigureAwait(false))
            {
                snapshot = await GroupSnapshot.ReadAsync(content, groupId, scope.Settings.BaseUrl, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (InvalidDataException ex)
        {
            return Unusable(scope, groupId, $"saved state {key} is unusable: {ex.Message}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Unusable(scope, groupId, $"saved state {key} could not be read: {ex.GetType().Name}: {ex.Message.Split('\n', 2)[0]}");
        }

        var age = scope.Time.GetUtcNow() - snapshot.FullReadAt;
        if (age > TimeSpan.FromDays(scope.Settings.FullReadEveryDays) || age < TimeSpan.Zero)
        {
            return new SnapshotLookup(
                null,
                $"the last full read ({snapshot.FullReadAt.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)}) is not within {scope.Settings.FullReadEveryDays} days");
        }

        return new SnapshotLookup(snapshot, null);
    }

    /// <summary>Saves the snapshot after its item was emitted; a failure is logged and never fails the item.</summary>
    public static async Task SaveAsync(EntraJobScope scope, GroupSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        if (scope.State is null)
        {
            return;
        }

        var key = GroupSnapshot.Key(snapshot.GroupId);
        try
        {
            using var content = new MemoryStream(snapshot.ToBytes(), writable: false);
            await scope.State.SaveAsync(EntraIdSource.SourceName, key, content, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            EntraLog.StateNotSaved(scope.Logger, key, $"{ex.GetType().Name}: {ex.Message.Split('\n', 2)[0]}");
        }
    }

    private static SnapshotLookup Unusable(EntraJobScope scope, string groupId, string reason)
    {
        EntraLog.StateUnusable(scope.Logger, groupId, reason);
        return new SnapshotLookup(null, reason);
    }
}
