using Aims.Testing.Azurite;

namespace Aims.Functions.Tests.Infrastructure;

/// <summary>One Azurite for every contract and end-to-end test of this project (see <see cref="AzuriteCollection"/>).</summary>
[CollectionDefinition(AzuriteCollection.Name)]
public sealed class AzuriteCollectionDefinition : ICollectionFixture<AzuriteFixture>;
