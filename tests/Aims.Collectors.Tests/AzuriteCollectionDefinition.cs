using Aims.Testing.Azurite;

namespace Aims.Collectors.Tests;

[CollectionDefinition(AzuriteCollection.Name)]
public sealed class AzuriteCollectionDefinition : ICollectionFixture<AzuriteFixture>;
