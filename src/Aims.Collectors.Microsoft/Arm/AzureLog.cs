using Microsoft.Extensions.Logging;

namespace Aims.Collectors.Microsoft.Arm;

internal static partial class AzureLog
{
    [LoggerMessage(EventId = 6200, Level = LogLevel.Information, Message = "Azure: collecting subscription {SubscriptionId} (job {JobId})")]
    public static partial void Collecting(ILogger logger, string subscriptionId, string jobId);

    [LoggerMessage(EventId = 6201, Level = LogLevel.Information, Message = "Azure: subscription {SubscriptionId} done; items: {Items}, errors: {Errors}")]
    public static partial void Collected(ILogger logger, string subscriptionId, int items, int errors);

    [LoggerMessage(EventId = 6202, Level = LogLevel.Warning, Message = "Azure: could not collect {Kind} for {Subject}: {Error}")]
    public static partial void CollectorError(ILogger logger, string kind, string subject, string error);

    [LoggerMessage(EventId = 6203, Level = LogLevel.Debug, Message = "Azure: {Detail}")]
    public static partial void Detail(ILogger logger, string detail);
}
