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
}
