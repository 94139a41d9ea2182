using Aims.Evidence;

namespace Aims.Storage.Azure.Tests;

public sealed class StorageConnectionStringTests
{
    private const string Key = "Zm9vYmFyLWtleS1mb3ItdGVzdHMtb25seS0xMjM0NTY3ODkw";

    [Fact]
    public void Development_storage_expands_to_the_well_known_azurite_account()
    {
        var parsed = StorageConnectionString.Parse("UseDevelopmentStorage=true");

        Assert.True(parsed.IsDevelopmentStorage);
        Assert.Equal("devstoreaccount1", parsed.AccountName);
        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), parsed.BlobEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), parsed.QueueEndpoint);
    }

    [Fact]
    public void Account_and_suffix_make_the_public_endpoints()
    {
        var parsed = StorageConnectionString.Parse($"DefaultEndpointsProtocol=https;AccountName=contosoaims;AccountKey={Key};EndpointSuffix=core.windows.net");

        Assert.Equal(new Uri("https://contosoaims.blob.core.windows.net"), parsed.BlobEndpoint);
        Assert.Equal(new Uri("https://contosoaims.queue.core.windows.net"), parsed.QueueEndpoint);
        Assert.False(parsed.IsDevelopmentStorage);
    }

    [Fact]
    public void Explicit_endpoints_win_over_the_suffix()
    {
        var parsed = StorageConnectionString.Parse($"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};BlobEndpoint=http://127.0.0.1:41000/devstoreaccount1/;QueueEndpoint=http://127.0.0.1:41001/devstoreaccount1");

        Assert.Equal(new Uri("http://127.0.0.1:41000/devstoreaccount1"), parsed.BlobEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:41001/devstoreaccount1"), parsed.QueueEndpoint);
    }

    [Fact]
    public void A_missing_key_is_named_and_the_setting_is_named()
    {
        var ex = Assert.Throws<InvalidSettingException>(() => StorageConnectionString.Parse("AccountName=contosoaims", "--store"));

        Assert.Equal("--store", ex.Setting);
        Assert.Contains("AccountKey", ex.Message);
    }

    [Fact]
    public void A_missing_account_name_is_named()
    {
        var ex = Assert.Throws<InvalidSettingException>(() => StorageConnectionString.Parse($"AccountKey={Key}"));

        Assert.Contains("AccountName", ex.Message);
        Assert.DoesNotContain(Key, ex.Message);
    }

    [Fact]
    public void A_key_that_is_not_base64_is_reported_without_echoing_it()
    {
        const string badKey = "not*base64*secret-value";

        var ex = Assert.Throws<InvalidSettingException>(() => StorageConnectionString.Parse($"AccountName=contosoaims;AccountKey={badKey}"));

        Assert.Contains("not valid base64", ex.Message);
        Assert.DoesNotContain(badKey, ex.Message);
    }

    [Fact]
    public void An_unknown_part_is_named_but_a_nameless_part_is_never_echoed()
    {
        var unknown = Assert.Throws<InvalidSettingException>(() => StorageConnectionString.Parse($"AccountName=a;AcountKey={Key}"));
        var nameless = Assert.Throws<InvalidSettingException>(() => StorageConnectionString.Parse($"AccountName=a;{Key}"));

        Assert.Contains("AcountKey", unknown.Message);
        Assert.DoesNotContain(Key, unknown.Message);
        Assert.DoesNotContain(Key, nameless.Message);
    }

    [Fact]
    public void Sas_connection_strings_are_refused_with_the_alternative()
    {
        var ex = Assert.Throws<InvalidSettingException>(() => StorageConnectionString.Parse("BlobEndpoint=https://a.blob.core.windows.net;SharedAccessSignature=sv=2025-11-05&sig=abc"));

        Assert.Contains("SharedAccessSignature", ex.Message);
    }

    [Fact]
    public void ToString_never_contains_the_key()
    {
        var parsed = StorageConnectionString.Parse($"AccountName=contosoaims;AccountKey={Key}");

        Assert.DoesNotContain(Key, parsed.ToString());
    }

    [Theory]
    [InlineData("UseDevelopmentStorage=true", true)]
    [InlineData("AccountName=a;AccountKey=b", true)]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=a", true)]
    [InlineData("/var/lib/aims/store", false)]
    [InlineData("./store=old", false)]
    [InlineData("https://a.blob.core.windows.net/evidence", false)]
    public void Connection_strings_are_told_apart_from_paths_and_urls(string value, bool expected) =>
        Assert.Equal(expected, StorageConnectionString.LooksLikeConnectionString(value));
}
