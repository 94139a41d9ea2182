using Aims.Testing.Azurite;

namespace Aims.Storage.Azure.Tests;

[CollectionDefinition(AzuriteCollection.Name)]
public sealed class AzuriteCollectionDefinition : ICollectionFixture<AzuriteFixture>;
