using Microsoft.Extensions.Logging;

namespace Aims.Storage.Azure;

/// <summary>The Blob store's log events.</summary>
internal static partial class StoreLog
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Created blob container {Container}")]
    public static partial void ContainerCreated(ILogger logger, string container);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Ledger segment {Segment} continues in {Blob}")]
    public static partial void LedgerPartStarted(ILogger logger, string segment, string blob);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Debug, Message = "Ledger {Blob}: an earlier attempt of the append at {Position} had landed; not appending again")]
    public static partial void LedgerAppendLanded(ILogger logger, string blob, long position);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Information, Message = "Ledger {Blob}: position {Position} was taken by another writer; re-reading the tail")]
    public static partial void LedgerAppendConflict(ILogger logger, string blob, long position);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Debug, Message = "Spooled a non-seekable raw payload of {Length} bytes to hash it before upload")]
    public static partial void RawSpooled(ILogger logger, long length);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Debug, Message = "Index: {Count} claim(s) found taken were this writer's own, from an attempt whose answer was lost")]
    public static partial void ClaimsLanded(ILogger logger, int count);

    [LoggerMessage(EventId = 3107, Level = LogLevel.Information, Message = "{Count} item(s) were stored by another writer (or an earlier attempt) without a ledger entry; waiting up to {Seconds} s for that writer before completing them")]
    public static partial void WaitingForCreator(ILogger logger, int count, double seconds);
}
