using Microsoft.Extensions.Logging;

namespace Aims.Collectors.Ticketing;

/// <summary>Log messages of the ticketing collectors. Never a token, a password or an Authorization header.</summary>
internal static partial class TicketingLog
{
    [LoggerMessage(EventId = 1302, Level = LogLevel.Information, Message = "{Source}: {Count} {Kind} ticket(s) in {Subject}.")]
    public static partial void Collected(ILogger logger, string source, int count, string kind, string subject);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "{Source}: could not collect {Kind} for {Subject}: {Error}")]
    public static partial void Failed(ILogger logger, string source, string kind, string subject, string error);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Warning, Message = "{Source}: the {Kind} listing for {Subject} is incomplete: {Reason}")]
    public static partial void Incomplete(ILogger logger, string source, string kind, string subject, string reason);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Information, Message = "{Source}: read {Kind} in full: {Count} ticket(s).")]
    public static partial void ReadFull(ILogger logger, string source, string kind, int count);

    [LoggerMessage(EventId = 1306, Level = LogLevel.Information, Message = "{Source}: read {Kind} incrementally: {Changed} changed ticket(s) merged into a population of {Count}.")]
    public static partial void ReadChanges(ILogger logger, string source, string kind, int changed, int count);

    [LoggerMessage(EventId = 1307, Level = LogLevel.Information, Message = "{Source}: the kept {Kind} population cannot be used, reading in full: {Reason}.")]
    public static partial void SnapshotUnusable(ILogger logger, string source, string kind, string reason);

    [LoggerMessage(EventId = 1308, Level = LogLevel.Information, Message = "{Source}: {Kind}: the merged population holds {Merged} ticket(s), the source counts {Count}; reconciling by issue id.")]
    public static partial void Reconciling(ILogger logger, string source, string kind, int merged, string count);

    [LoggerMessage(EventId = 1309, Level = LogLevel.Warning, Message = "{Source}: could not keep the {Kind} population for the next run (it will read in full): {Error}")]
    public static partial void SnapshotNotSaved(ILogger logger, string source, string kind, string error);

    [LoggerMessage(EventId = 1310, Level = LogLevel.Information, Message = "{Source}: no approximate count ({Error}); reconciling by issue id.")]
    public static partial void CountUnavailable(ILogger logger, string source, string error);
}
