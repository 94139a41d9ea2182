namespace Aims.Functions.Notifications;

/// <summary>A place the digest is sent to. Throws with a message naming the channel, URL path and HTTP status on failure.</summary>
public interface IDigestChannel
{
    /// <summary>A short name for logs (<c>Teams</c>, <c>Email</c>, <c>GitHub issue</c>).</summary>
    string Name { get; }

    /// <summary>Sends the digest; returns a one-line description of what was done (never a secret).</summary>
    Task<string> SendAsync(DigestMessage digest, CancellationToken cancellationToken = default);
}
