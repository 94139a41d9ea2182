namespace Aims.Cli;

/// <summary>The clock of an <c>--as-of</c> run: always the given instant, so a run over the sample is reproducible.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
