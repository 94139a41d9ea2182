using System.Net;

namespace Aims.Collectors.Http;

/// <summary>The resource does not exist (404/410). For many endpoints this is itself a fact (no protection, no CODEOWNERS).</summary>
public sealed class SourceNotFoundException(string method, Uri url, HttpStatusCode status, string message)
    : SourceRequestException(method, url, status, message);
