using Microsoft.Extensions.Logging;

namespace Aims.Collectors.Microsoft.Entra;

internal static partial class EntraLog
{
    [LoggerMessage(EventId = 6100, Level = LogLevel.Information, Message = "Entra ID: collecting {Kind} (job {JobId})")]
    public static partial void Collecting(ILogger logger, string kind, string jobId);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Entra ID: {Kind} done, {Items} items")]
    public static partial void Collected(ILogger logger, string kind, int items);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "Entra ID: could not collect {Kind} for {Subject}: {Error}")]
    public static partial void CollectorError(ILogger logger, string kind, string subject, string error);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Warning, Message = "Entra ID: group {GroupId} is read in full: {Reason}")]
    public static partial void StateUnusable(ILogger logger, string groupId, string reason);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Warning, Message = "Entra ID: {Groups} groups are read in full because their delta round failed: {Error}")]
    public static partial void DeltaRoundFailed(ILogger logger, int groups, string error);

    [LoggerMessage(EventId = 6105, Level = LogLevel.Information, Message = "Entra ID: group {GroupId} read by delta: {Added} added, {Removed} removed")]
    public static partial void DeltaApplied(ILogger logger, string groupId, int added, int removed);

    [LoggerMessage(EventId = 6106, Level = LogLevel.Warning, Message = "Entra ID: collector state {Key} was not saved (the next run reads in full): {Error}")]
    public static partial void StateNotSaved(ILogger logger, string key, string error);

    [LoggerMessage(EventId = 6107, Level = LogLevel.Information, Message = "Entra ID: group {GroupId} read in full: {Reason}")]
    public static partial void FullRead(ILogger logger, string groupId, string reason);

    [LoggerMessage(EventId = 6108, Level = LogLevel.Warning, Message = "Entra ID: collector state {Key} is not used: {Reason}")]
    public static partial void AreaStateUnusable(ILogger logger, string key, string reason);

    [LoggerMessage(EventId = 6109, Level = LogLevel.Information, Message = "Entra ID: {Kind} reused kept state for {Reused} of {Total} {What}")]
    public static partial void StateReused(ILogger logger, string kind, int reused, int total, string what);
}
