using System.Net.Http.Headers;
using System.Text;

namespace Aims.Collectors.Ticketing;

/// <summary>
/// HTTP credentials for a ticketing API: Basic (user and API token or password) or a bearer token (OAuth 2.0).
/// A class, not a record, so no generated <c>ToString</c> ever prints the secret.
/// </summary>
public sealed class TicketCredential
{
    private readonly AuthenticationHeaderValue _header;

    private TicketCredential(AuthenticationHeaderValue header, string kind)
    {
        _header = header;
        Kind = kind;
    }

    /// <summary>What kind of credential it is, for descriptions (never the credential).</summary>
    public string Kind { get; }

    public static TicketCredential Basic(string user, string secret, string kind) =>
        new(new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{secret}"))), kind);

    public static TicketCredential Bearer(string token, string kind) => new(new AuthenticationHeaderValue("Bearer", token), kind);

    public ValueTask AuthorizeAsync(HttpRequestMessage message, CancellationToken cancellationToken = default)
    {
        message.Headers.Authorization = _header;
        return ValueTask.CompletedTask;
    }

    public override string ToString() => Kind;
}
