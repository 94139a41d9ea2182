using Aims.Storage.Azure;
using Aims.Testing.Azurite;

namespace Aims.Storage.Tests;

/// <summary>The store contract against Azurite: each test gets its own container; each writer its own ledger segment.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobEvidenceStoreContractTests(AzuriteFixture azurite) : EvidenceStoreContractTests
{
    protected override Task<EvidenceStoreBase> CreateStoreAsync()
    {
        // The container is not created here: the store creates it on its first write.
        return Task.FromResult<EvidenceStoreBase>(EvidenceStores.OpenAzure(azurite.ConnectionString, AzuriteFixture.UniqueName("contract"), new AzureBlobEvidenceStoreOptions { WriterId = "writer-main" }));
    }

    protected override EvidenceStoreBase OpenSecondWriter(EvidenceStoreBase store, string writerId)
    {
        return EvidenceStores.OpenAzure(azurite.ConnectionString, ((AzureBlobEvidenceStore)store).Container.Name, new AzureBlobEvidenceStoreOptions { WriterId = writerId });
    }

    protected override async Task WriteOutOfBandAsync(EvidenceStoreBase store, string path, byte[] content)
    {
        var container = ((AzureBlobEvidenceStore)store).Container;
        await container.CreateIfNotExistsAsync();
        await container.GetBlobClient(path).UploadAsync(BinaryData.FromBytes(content));
    }
}
