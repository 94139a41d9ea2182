using System.Text;
using Aims.Collectors.Sources;
using Aims.Storage;
using Aims.Testing;

namespace Aims.Collectors.Tests.Sources;

public sealed class EvidenceStoreCollectorStateTests
{
    [Fact]
    public async Task Saved_state_reads_back_and_a_second_save_replaces_it()
    {
        using var temp = new TempDirectory();
        var state = new EvidenceStoreCollectorState(new FolderEvidenceStore(temp.Path));

        await state.SaveAsync("Jira", "incidents.json", new MemoryStream(Encoding.UTF8.GetBytes("first")));
        await state.SaveAsync("Jira", "incidents.json", new MemoryStream(Encoding.UTF8.GetBytes("second")));

        await using var read = await state.OpenAsync("Jira", "incidents.json");
        using var reader = new StreamReader(read!);
        Assert.Equal("second", await reader.ReadToEndAsync());
        Assert.True(File.Exists(Path.Combine(temp.Path, "reports", "collector-state", "Jira", "incidents.json")));
    }

    [Fact]
    public async Task Missing_state_is_null_not_an_error()
    {
        using var temp = new TempDirectory();
        var state = new EvidenceStoreCollectorState(new FolderEvidenceStore(temp.Path));

        Assert.Null(await state.OpenAsync("EntraId", "group-members.json"));
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("")]
    public async Task Refuses_keys_that_could_leave_the_state_folder(string key)
    {
        using var temp = new TempDirectory();
        var state = new EvidenceStoreCollectorState(new FolderEvidenceStore(temp.Path));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => state.SaveAsync("Jira", key, new MemoryStream([1])));

        Assert.Contains("not a valid key name", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.EnumerateFiles(temp.Path, "*", SearchOption.AllDirectories), f => f.Contains("collector-state", StringComparison.Ordinal));
    }
}
