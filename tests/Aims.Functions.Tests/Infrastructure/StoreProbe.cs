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
