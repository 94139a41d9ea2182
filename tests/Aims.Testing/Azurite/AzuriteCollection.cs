namespace Aims.Testing.Azurite;

/// <summary>
/// The xunit collection that shares one <see cref="AzuriteFixture"/>. xunit only finds collection definitions in
/// the test assembly itself, so each test project that needs Azurite adds one line:
/// <code>
/// [CollectionDefinition(AzuriteCollection.Name)]
/// public sealed class AzuriteCollectionDefinition : ICollectionFixture&lt;AzuriteFixture&gt;;
/// </code>
/// and marks its test classes <c>[Collection(AzuriteCollection.Name)]</c>.
/// </summary>
public static class AzuriteCollection
{
    public const string Name = "Azurite";
}
