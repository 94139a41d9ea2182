namespace Aims.Collectors.Http;

/// <summary>One request to a JSON REST source.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Target">A path relative to the client's base URL (<c>repos/o/r</c>) or an absolute URL on the same host (a next-page link).</param>
/// <param name="Body">A JSON request body, if any.</param>
/// <param name="Conditional">
/// Whether a GET may be served through the response cache (ETag → <c>If-None-Match</c> → 304). Turn it off for
/// responses that may carry secrets, so they are never persisted.
/// </param>
public sealed record RestRequest(HttpMethod Method, string Target, ReadOnlyMemory<byte>? Body = null, bool Conditional = true)
{
    public static RestRequest Get(string target, bool conditional = true) => new(HttpMethod.Get, target, null, conditional);

    public static RestRequest Post(string target, ReadOnlyMemory<byte> jsonBody) => new(HttpMethod.Post, target, jsonBody, Conditional: false);
}
