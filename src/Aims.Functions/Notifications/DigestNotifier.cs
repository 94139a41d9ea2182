using Aims.Functions.Hosting;

namespace Aims.Functions.Notifications;

/// <summary>What one channel did.</summary>
public sealed record ChannelOutcome(string Channel, bool Succeeded, string Detail);

/// <summary>Sends the digest to every configured channel. One failing channel never stops the others.</summary>
public sealed class DigestNotifier(IReadOnlyList<IDigestChannel> channels)
{
    public IReadOnlyList<IDigestChannel> Channels { get; } = channels;

    /// <summary>The channels the settings configure, in a fixed order (Teams, Email, GitHub issue).</summary>
    public static DigestNotifier FromSettings(FunctionsRuntime runtime)
    {
        var settings = runtime.Notifications;
        var channels = new List<IDigestChannel>();
        if (settings.TeamsWebhook is { } webhook)
        {
            channels.Add(new TeamsWebhookChannel(runtime.Http, webhook));
        }

        if (settings.Email is { } email)
        {
            channels.Add(new GraphMailChannel(runtime.Http, email, runtime.Credentials.Credential));
        }

        if (settings.GitHubIssue is { } issue)
        {
            channels.Add(new GitHubIssueChannel(runtime.Http, issue));
        }

        return new DigestNotifier(channels);
    }

    public async Task<IReadOnlyList<ChannelOutcome>> SendAsync(DigestMessage digest, CancellationToken cancellationToken = default)
    {
        var outcomes = new ChannelOutcome[Channels.Count];
        await Task.WhenAll(Channels.Select(async (channel, i) =>
        {
            try
            {
                outcomes[i] = new ChannelOutcome(channel.Name, true, await channel.SendAsync(digest, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                outcomes[i] = new ChannelOutcome(channel.Name, false, ex.Message);
            }
        })).ConfigureAwait(false);
        return outcomes;
    }
}
