using System.Diagnostics;
using Aims.Evidence;
using Aims.Evidence.Items;
using Aims.Evidence.Store;
using Aims.Storage.Azure;
using Aims.Testing;
using Aims.Testing.Azurite;

namespace Aims.Storage.Tests;

/// <summary>Several writers of the same deterministic items, and leftovers of killed runs.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StoreConcurrencyTests(AzuriteFixture azurite)
{
    private static readonly IReadOnlyList<EvidenceItem> Items = Enumerable.Range(0, 25).Select(i => TestItems.Document($"doc-{i:D2}")).ToList();

    private static async Task<List<LedgerEntry>> LedgerAsync(IEvidenceStore store)
    {
        var entries = new List<LedgerEntry>();
        await foreach (var entry in store.ReadLedgerAsync())
        {
            entries.Add(entry);
        }

        return entries;
    }

    /// <summary>Four writers (as four same-date collect runs would) put the same items at the same time.</summary>
    private static async Task WriteConcurrentlyAsync(IReadOnlyList<EvidenceStoreBase> writers) =>
        await Task.WhenAll(writers.Select((store, w) => Task.Run(async () =>
        {
            // Each starts at a different item so they collide all along, not only at the start.
            for (var i = 0; i < Items.Count; i++)
            {
                await store.PutItemAsync(Items[(i + (w * 7)) % Items.Count]);
            }
        })));

    [Fact]
    public async Task Four_concurrent_writers_on_one_folder_never_record_an_item_twice_in_twenty_rounds()
    {
        for (var round = 0; round < 20; round++)
        {
            using var folder = new TempDirectory();
            var writers = Enumerable.Range(0, 4).Select(_ => (EvidenceStoreBase)new FolderEvidenceStore(folder.Path)).ToList();

            await WriteConcurrentlyAsync(writers);

            var ledger = await LedgerAsync(writers[0]);
            Assert.Equal(Items.Count, ledger.Count);
            Assert.Equal(Items.Count, ledger.Select(e => e.ItemId).Distinct().Count());
            LedgerChains.AssertValid(ledger);
            Assert.Equal(Items.Count, (await writers[0].ReadIndexAsync(EvidenceKinds.Document)).Count);
        }
    }

    [Fact]
    public async Task Eight_writers_racing_for_the_same_item_names_on_a_folder_create_each_once_and_the_first_copy_stays()
    {
        for (var round = 0; round < 20; round++)
        {
            // Given eight writers on one folder, each holding its own copy (other summary, same id) of the same 60 items
            using var folder = new TempDirectory();
            var writers = Enumerable.Range(0, 8).Select(_ => new FolderEvidenceStore(folder.Path)).ToList();
            var copies = Enumerable.Range(0, 8)
                .Select(w => Enumerable.Range(0, 60).Select(i => TestItems.Document($"doc-{i:D2}", TestItems.Monday, summary: $"copy of writer {w}")).ToList())
                .ToList();

            // When all of them put their copies at the same moment
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var racing = writers.Select((store, w) => Task.Run(async () =>
            {
                await start.Task;
                return await store.PutItemsAsync(copies[w]);
            })).ToList();
            start.SetResult();
            var outcomes = await Task.WhenAll(racing);

            // Then each name was created by exactly one writer, and the stored item is that writer's copy
            for (var i = 0; i < 60; i++)
            {
                var creators = Enumerable.Range(0, 8).Where(w => outcomes[w][i] == WriteOutcome.Created).ToList();
                Assert.Single(creators);
                Assert.Equal($"copy of writer {creators[0]}", (await writers[0].GetItemAsync(copies[0][i].Id))!.Summary);
            }

            Assert.Equal(60, (await LedgerAsync(writers[0])).Count);
        }
    }

    [Fact]
    public async Task Four_concurrent_batch_writers_on_one_folder_record_every_item_once_in_one_valid_chain()
    {
        for (var round = 0; round < 10; round++)
        {
            // Given four writers on one folder, each putting overlapping batches (as four jobs flushing at once would)
            using var folder = new TempDirectory();
            var writers = Enumerable.Range(0, 4).Select(_ => new FolderEvidenceStore(folder.Path)).ToList();

            // When they write at the same time
            var outcomes = await Task.WhenAll(writers.Select((store, w) => Task.Run(async () =>
            {
                var all = new List<WriteOutcome>();
                for (var batch = 0; batch < 3; batch++)
                {
                    all.AddRange(await store.PutItemsAsync(Items.Skip((w * 4) + (batch * 5)).Take(10).ToList()));
                }

                return all;
            })));

            // Then each item written was created by exactly one writer and has exactly one entry in one unbroken chain
            var written = Enumerable.Range(0, 4).SelectMany(w => Enumerable.Range(0, 3).SelectMany(b => Items.Skip((w * 4) + (b * 5)).Take(10))).Select(i => i.Id).Distinct().ToList();
            Assert.Equal(written.Count, outcomes.SelectMany(o => o).Count(o => o == WriteOutcome.Created));
            var ledger = await LedgerAsync(writers[0]);
            Assert.Equal(written.Order(StringComparer.Ordinal), ledger.Select(e => e.ItemId).Order(StringComparer.Ordinal));
            LedgerChains.AssertValid(ledger);
            Assert.Equal(written.Count, (await writers[0].ReadIndexAsync(EvidenceKinds.Document)).Count);
        }
    }

    [Fact]
    public async Task Four_concurrent_writers_on_one_azure_store_never_record_an_item_twice()
    {
        for (var round = 0; round < 3; round++)
        {
            var container = AzuriteFixture.UniqueName("concurrent");
            var writers = Enumerable.Range(0, 4)
                .Select(w => (EvidenceStoreBase)EvidenceStores.OpenAzure(azurite.ConnectionString, container, new AzureBlobEvidenceStoreOptions { WriterId = $"collect-{w}" }))
                .ToList();

            await WriteConcurrentlyAsync(writers);

            var ledger = await LedgerAsync(writers[0]);
            Assert.Equal(Items.Count, ledger.Count);
            Assert.Equal(Items.Count, ledger.Select(e => e.ItemId).Distinct().Count());
            Assert.Equal(Items.Count, (await writers[0].ReadIndexAsync(EvidenceKinds.Document)).Count);
        }
    }

    [Fact]
    public async Task A_redelivered_job_whose_items_are_all_recorded_appends_nothing()
    {
        using var folder = new TempDirectory();
        var store = new FolderEvidenceStore(folder.Path);
        foreach (var item in Items)
        {
            await store.PutItemAsync(item);
        }

        var ledgerBytes = new FileInfo(Path.Combine(folder.Path, "ledger", "local.jsonl")).Length;

        var outcomes = new List<WriteOutcome>();
        foreach (var item in Items)
        {
            outcomes.Add(await new FolderEvidenceStore(folder.Path).PutItemAsync(item));
        }

        Assert.All(outcomes, o => Assert.Equal(WriteOutcome.AlreadyExists, o));
        Assert.Equal(ledgerBytes, new FileInfo(Path.Combine(folder.Path, "ledger", "local.jsonl")).Length);
    }

    [Fact]
    public async Task Temporary_files_of_a_killed_run_are_removed_on_the_next_open_and_never_count_as_evidence()
    {
        // Given temp files left by a process that has exited, and one belonging to this (live) process
        using var folder = new TempDirectory();
        var tmp = Directory.CreateDirectory(Path.Combine(folder.Path, "state", "tmp")).FullName;
        using var gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await gone.WaitForExitAsync();
        var dead = Path.Combine(tmp, $".tmp-{gone.Id}-abc.def");
        var live = Path.Combine(tmp, $".tmp-{Environment.ProcessId}-abc.def");
        await File.WriteAllTextAsync(dead, "half an item");
        await File.WriteAllTextAsync(live, "being written");

        // When a new store object writes
        var store = new FolderEvidenceStore(folder.Path);
        await store.PutItemAsync(Items[0]);

        // Then the dead run's file is gone, the live one stays, and only the real item is listed
        Assert.False(File.Exists(dead));
        Assert.True(File.Exists(live));
        var ids = new List<string>();
        await foreach (var id in store.ListItemIdsAsync())
        {
            ids.Add(id);
        }

        Assert.Equal([Items[0].Id], ids);
    }

    [Fact]
    public async Task A_store_folder_that_cannot_take_the_write_is_a_store_failure_naming_the_store()
    {
        // Given a store whose items folder has been replaced by a file (the write fails whoever runs the test, root too)
        using var folder = new TempDirectory();
        var store = new FolderEvidenceStore(folder.Path);
        await store.PutItemAsync(Items[0]);
        var items = Path.Combine(folder.Path, "items");
        Directory.Delete(items, recursive: true);
        await File.WriteAllTextAsync(items, "not a folder");

        // When an item is written, Then the failure is the store's, in one line naming it (not a source's I/O error)
        var ex = await Assert.ThrowsAsync<StoreFailureException>(() => store.PutItemAsync(Items[1]));

        Assert.Equal(folder.Path, ex.Store);
        Assert.DoesNotContain("\n", ex.Message, StringComparison.Ordinal);
    }
}
