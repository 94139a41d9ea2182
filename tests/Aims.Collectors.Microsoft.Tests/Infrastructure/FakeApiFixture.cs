namespace Aims.Collectors.Microsoft.Tests.Infrastructure;

/// <summary>
/// One local HTTPS server for all tests of a class (they run one after another): starting a server makes a new
/// certificate, which is the slowest part of a test.
/// </summary>
public sealed class FakeApiFixture : IAsyncLifetime
{
    private FakeApi? _api;

    public FakeApi Api => _api ?? throw new InvalidOperationException("The fake has not started.");

    public async Task InitializeAsync() => _api = await FakeApi.StartAsync();

    public async Task DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
    }
}
