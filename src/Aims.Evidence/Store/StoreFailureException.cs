namespace Aims.Evidence.Store;

/// <summary>
/// The store itself failed (unreachable, credentials refused, disk full, folder read-only): not the source being
/// collected. Collectors and the pipeline let it through, never recording it as a collector error; the CLI reports it
/// in one line naming the store and exits 3. Deliberately not an <see cref="IOException"/>, so handlers of a source's
/// I/O errors do not catch it.
/// </summary>
public sealed class StoreFailureException(string store, string cause, Exception? inner = null)
    : Exception($"the store {store} failed: {cause}", inner)
{
    public string Store { get; } = store;

    public string Cause { get; } = cause;
}
