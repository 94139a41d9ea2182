using Microsoft.Extensions.Logging;

namespace Aims.Collectors.GitHub;

/// <summary>Log messages of the GitHub collector. Never a token, a key or an Authorization header.</summary>
internal static partial class GitHubLog
{
    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "GitHub: {Count} repositories in scope, planned as {Jobs} job(s).")]
    public static partial void Planned(ILogger logger, int count, int jobs);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Error, Message = "GitHub: could not enumerate the repositories in scope: {Error}")]
    public static partial void PlanFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "GitHub: could not read repository {Repository}: {Error}")]
    public static partial void RepositoryFailed(ILogger logger, string repository, string error);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "GitHub: could not collect {Kind} for {Repository}: {Error}")]
    public static partial void KindFailed(ILogger logger, string kind, string repository, string error);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Information, Message = "GitHub App installation {InstallationId}: token issued, valid until {ExpiresAt}.")]
    public static partial void InstallationTokenIssued(ILogger logger, long installationId, string expiresAt);
}
