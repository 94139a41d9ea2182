using Aims.Evidence.Items;
using Aims.Evidence.Store;

namespace Aims.Functions.Tests.Infrastructure;

/// <summary>Reads what landed in a store, through the store contract only.</summary>
public static class StoreProbe
{
    public static async Task<List<EvidenceItem>> ItemsAsync(IEvidenceStore store)
    {
        var items = new List<EvidenceItem>();
        await foreach (var id in store.ListItemIdsAsync())
        {
            items.Add((await store.GetItemAsync(id))!);
        }

        return items;
    }

    public static async Task<int> LedgerCountAsync(IEvidenceStore store)
    {
        var count = 0;
        await foreach (var _ in store.ReadLedgerAsync())
        {
            count++;
        }

        return count;
    }

    /// <summary>The report names under <paramref name="prefix"/> (e.g. <c>downloads/</c>), from a folder or a blob container.</summary>
    public static async Task<List<string>> ReportNamesAsync(IEvidenceStore store, string prefix)
    {
        var names = new List<string>();
        await foreach (var name in store.ListReportNamesAsync(prefix))
        {
            names.Add(name);
        }

        return names;
    }

    public static async Task<string?> ReportTextAsync(IEvidenceStore store, string name)
    {
        await using var stream = await store.OpenReportAsync(name);
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
