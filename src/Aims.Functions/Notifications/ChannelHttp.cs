using System.Text;
using System.Text.Json.Nodes;

namespace Aims.Functions.Notifications;

/// <summary>Small helpers the channels share: JSON bodies, and errors that name the request without leaking a token.</summary>
internal static class ChannelHttp
{
    public static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    /// <summary>Throws <see cref="HttpRequestException"/> naming the channel, method, URL path and status, with the start of the service's error text.</summary>
    public static async Task EnsureSuccessAsync(string channel, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (text.Length > 300)
        {
            text = text[..300] + "…";
        }

        var request = response.RequestMessage;
        throw new HttpRequestException(
            $"{channel}: {request?.Method} {request?.RequestUri?.AbsolutePath} answered {(int)response.StatusCode} {response.ReasonPhrase}{(text.Length > 0 ? ": " + text : "")}",
            null,
            response.StatusCode);
    }
}
