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
}
