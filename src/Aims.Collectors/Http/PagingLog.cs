using Microsoft.Extensions.Logging;

namespace Aims.Collectors.Http;

/// <summary>Log messages of the token and offset pagers. Paths only; never a header, a token or a body.</summary>
internal static partial class PagingLog
{
    [LoggerMessage(EventId = 1151, Level = LogLevel.Warning, Message = "{Path} returned a continuation token already used; stopping paging after {Pages} page(s) to avoid a loop.")]
    public static partial void RepeatedToken(ILogger logger, string path, int pages);

    [LoggerMessage(EventId = 1152, Level = LogLevel.Warning, Message = "{Path} returned a page that starts with a record already read ({FirstId}); the server seems to ignore the offset. Stopping after {Pages} page(s).")]
    public static partial void RepeatedPage(ILogger logger, string path, string firstId, int pages);

    [LoggerMessage(EventId = 1153, Level = LogLevel.Warning, Message = "{Path} links back to a page already read; stopping paging after {Pages} page(s) to avoid a loop.")]
    public static partial void RepeatedLink(ILogger logger, string path, int pages);
}
