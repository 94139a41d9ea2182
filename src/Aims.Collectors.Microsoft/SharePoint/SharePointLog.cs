using Microsoft.Extensions.Logging;

namespace Aims.Collectors.Microsoft.SharePoint;

internal static partial class SharePointLog
{
    [LoggerMessage(EventId = 6300, Level = LogLevel.Information, Message = "SharePoint: reading {Library} ({Mode}: {Reason})")]
    public static partial void Reading(ILogger logger, string library, string mode, string reason);

    [LoggerMessage(EventId = 6301, Level = LogLevel.Information, Message = "SharePoint: {Library} done: {Documents} documents, {Downloaded} downloaded, {Changed} changed, {Removed} removed")]
    public static partial void Done(ILogger logger, string library, int documents, int downloaded, int changed, int removed);

    [LoggerMessage(EventId = 6302, Level = LogLevel.Warning, Message = "SharePoint: could not collect {Subject}: {Error}")]
    public static partial void DocumentFailed(ILogger logger, string subject, string error);

    [LoggerMessage(EventId = 6303, Level = LogLevel.Information, Message = "SharePoint: {Path} has no document type and is not collected as a document")]
    public static partial void NotADocument(ILogger logger, string path);

    [LoggerMessage(EventId = 6304, Level = LogLevel.Warning, Message = "SharePoint: collector state {Key} is not used (the library is read in full): {Reason}")]
    public static partial void StateUnusable(ILogger logger, string key, string reason);

    [LoggerMessage(EventId = 6305, Level = LogLevel.Warning, Message = "SharePoint: collector state {Key} was not saved (the next run reads in full): {Error}")]
    public static partial void StateNotSaved(ILogger logger, string key, string error);

    [LoggerMessage(EventId = 6306, Level = LogLevel.Warning, Message = "SharePoint: the kept delta link of {Library} was refused; reading in full: {Error}")]
    public static partial void DeltaRefused(ILogger logger, string library, string error);
}
