using System.CommandLine;

namespace Aims.Cli.Commands;

/// <summary><c>aims index rebuild</c>: derive the index again from the ledger (after verify named a difference).</summary>
internal static class IndexCommand
{
    public static Command Create(CliIO io)
    {
        var store = CommonOptions.Store();
        var rebuild = new Command("rebuild", "Rebuild the store's index from its ledger: the latest item per kind and subject.") { store };
        rebuild.SetAction((parse, cancellationToken) => AimsCli.GuardAsync(io, async () =>
        {
            var opened = await StoreOpener.OpenExistingAsync(parse.GetValue(store)!, cancellationToken).ConfigureAwait(false);
            var entries = await opened.RebuildIndexAsync(cancellationToken).ConfigureAwait(false);
            await io.Output.WriteLineAsync($"rebuilt the index of {opened.Description} from {entries} ledger entries").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return new Command("index", "The store's derived index.") { rebuild };
    }
}
