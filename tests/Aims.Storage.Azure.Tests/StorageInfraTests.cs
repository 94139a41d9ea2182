using Aims.Testing;

namespace Aims.Storage.Azure.Tests;

/// <summary>
/// Bicep cannot be compiled here, so the infrastructure is held to the code by reading it: the state container and the
/// index table the app derives from the evidence container exist, only the evidence container is immutable, and the
/// app's identity may use the index table.
/// </summary>
public sealed class StorageInfraTests
{
    private static readonly string Resources = File.ReadAllText(RepositoryPaths.Combine("infra", "resources.bicep"));

    [Fact]
    public void The_state_container_and_index_table_are_the_names_the_store_derives()
    {
        Assert.Equal("evidence-state", EvidenceStores.StateContainerName("evidence"));
        Assert.Equal("indexevidence", EvidenceStores.IndexTableName("evidence"));
        Assert.Contains("var evidenceContainerName = 'evidence'", Resources, StringComparison.Ordinal);
        Assert.Contains("var stateContainerName = '${evidenceContainerName}-state'", Resources, StringComparison.Ordinal);
        Assert.Contains("var indexTableName = 'index${evidenceContainerName}'", Resources, StringComparison.Ordinal);
        Assert.Contains("tableServices/tables@", Resources, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_the_evidence_container_is_immutable()
    {
        var immutableContainers = Resources.Split("resource ").Where(r => r.Contains("immutableStorageWithVersioning", StringComparison.Ordinal) && r.Contains("containers@", StringComparison.Ordinal)).ToList();

        Assert.StartsWith("evidence ", Assert.Single(immutableContainers), StringComparison.Ordinal);
    }

    [Fact]
    public void The_app_identity_gets_table_data_contributor_on_the_index_table_only()
    {
        var role = Resources.Split("resource ").Single(r => r.StartsWith("tableRole ", StringComparison.Ordinal));

        Assert.Contains("scope: indexTable", role, StringComparison.Ordinal);
        Assert.Contains("roles.storageTableDataContributor", role, StringComparison.Ordinal);
        Assert.Contains("storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'", Resources, StringComparison.Ordinal);
    }
}
