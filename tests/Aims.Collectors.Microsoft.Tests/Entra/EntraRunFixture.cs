namespace Aims.Collectors.Microsoft.Tests.Entra;

/// <summary>One undisturbed run against the fake tenant, shared by the tests that only read what it stored.</summary>
public sealed class EntraRunFixture : IAsyncLifetime
{
    private EntraRun? _run;

    public EntraRun Run => _run ?? throw new InvalidOperationException("The run has not started.");

    public async Task InitializeAsync() => _run = await EntraRun.StartAsync();

    public async Task DisposeAsync()
    {
        if (_run is not null)
        {
            await _run.DisposeAsync();
        }
    }
}
