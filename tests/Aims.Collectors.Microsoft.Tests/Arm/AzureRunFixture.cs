namespace Aims.Collectors.Microsoft.Tests.Arm;

/// <summary>One undisturbed run against the fake estate, shared by the tests that only read what it stored.</summary>
public sealed class AzureRunFixture : IAsyncLifetime
{
    private AzureRun? _run;

    public AzureRun Run => _run ?? throw new InvalidOperationException("The run has not started.");

    public async Task InitializeAsync() => _run = await AzureRun.StartAsync();

    public async Task DisposeAsync()
    {
        if (_run is not null)
        {
            await _run.DisposeAsync();
        }
    }
}
