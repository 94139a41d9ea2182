using System.Net;

namespace Aims.Collectors.Http;

/// <summary>
/// The source refused the credential (401) or the permission (403 not caused by a rate limit). Retrying cannot help;
/// the operator has to grant access. <see cref="MissingPermission"/> holds what the provider said is needed, when it said.
/// </summary>
public sealed class SourceAuthException(string method, Uri url, HttpStatusCode status, string message, string? missingPermission)
    : SourceRequestException(method, url, status, message)
{
    public string? MissingPermission { get; } = missingPermission;
}
