using Aims.Evidence;
using Aims.Testing;
using Aims.Testing.Azurite;

namespace Aims.Storage.Azure.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class EvidenceStoresTests(AzuriteFixture azurite)
{
    public sealed class Open
    {
        [Fact]
        public void A_folder_path_opens_the_folder_store()
        {
            using var folder = new TempDirectory();

            var store = EvidenceStores.Open(folder.Path);

            Assert.IsType<FolderEvidenceStore>(store);
            Assert.Equal(folder.Path, store.Description);
        }

        [Fact]
        public void Development_storage_opens_the_default_container_on_local_azurite()
        {
            var store = EvidenceStores.Open("UseDevelopmentStorage=true");

            var blob = Assert.IsType<AzureBlobEvidenceStore>(store);
            Assert.Equal("http://127.0.0.1:10000/devstoreaccount1/evidence", blob.Description);
            Assert.Equal(AzureBlobEvidenceStore.DefaultContainerName, blob.Container.Name);
        }

        [Fact]
        public void A_container_part_chooses_the_container_and_never_reaches_the_account_key()
        {
            var store = EvidenceStores.Open("UseDevelopmentStorage=true;Container=audit-2026");

            Assert.Equal("http://127.0.0.1:10000/devstoreaccount1/audit-2026", store.Description);
        }

        [Fact]
        public void A_container_url_uses_the_token_credential()
        {
            var store = EvidenceStores.Open("https://contosoaims.blob.core.windows.net/evidence", new FakeTokenCredential());

            Assert.Equal("https://contosoaims.blob.core.windows.net/evidence", Assert.IsType<AzureBlobEvidenceStore>(store).Description);
        }

        [Fact]
        public void An_account_url_uses_the_default_container()
        {
            var store = EvidenceStores.Open("https://contosoaims.blob.core.windows.net/", new FakeTokenCredential());

            Assert.Equal("https://contosoaims.blob.core.windows.net/evidence", store.Description);
        }

        [Fact]
        public void A_container_url_without_a_credential_is_a_setting_error_naming_store()
        {
            var ex = Assert.Throws<InvalidSettingException>(() => EvidenceStores.Open("https://contosoaims.blob.core.windows.net/evidence"));

            Assert.Equal("--store", ex.Setting);
            Assert.Contains("credential", ex.Message);
        }

        [Theory]
        [InlineData("http://contosoaims.blob.core.windows.net/evidence", "https")]
        [InlineData("https://contosoaims.blob.core.windows.net/evidence?sv=2025&sig=c2VjcmV0", "SAS")]
        [InlineData("UseDevelopmentStorage=true;Container=Bad_Name", "container name")]
        [InlineData("AccountName=contosoaims;Container=evidence", "AccountKey")]
        [InlineData(" ", "No store")]
        public void Bad_specs_are_setting_errors_that_say_what_is_wrong(string spec, string expected)
        {
            var ex = Assert.Throws<InvalidSettingException>(() => EvidenceStores.Open(spec, new FakeTokenCredential()));

            Assert.Equal("--store", ex.Setting);
            Assert.Contains(expected, ex.Message);
            Assert.DoesNotContain("c2VjcmV0", ex.Message);
        }

        [Fact]
        public void The_setting_name_can_be_a_configuration_key()
        {
            var ex = Assert.Throws<InvalidSettingException>(() => EvidenceStores.Open("AccountName=a", setting: "Aims:Store"));

            Assert.Equal("Aims:Store", ex.Setting);
        }
    }

    [Fact]
    public async Task A_connection_string_store_writes_and_reads_through_azurite()
    {
        var container = AzuriteFixture.UniqueName("opened");
        var store = EvidenceStores.Open($"{azurite.ConnectionString};Container={container}");

        await store.PutReportAsync("digests/latest.md", new MemoryStream("# Digest"u8.ToArray()));
        await using var report = await store.OpenReportAsync("digests/latest.md");

        Assert.Equal("# Digest", await new StreamReader(report!).ReadToEndAsync());
        Assert.EndsWith($"/{container}", store.Description);
        Assert.DoesNotContain(AzuriteFixture.AccountKey, store.Description);
    }
}
