using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Azure;
using Azure.Core;
using Azure.ResourceManager;

namespace Aims.Collectors.Microsoft.Arm;

/// <summary>
/// Calls Resource Manager operations that Azure.ResourceManager has no type for (deployments, diagnostic settings,
/// role assignments, policy states, the activity log) through the <see cref="ArmClient"/>'s own pipeline, so they
/// share its credential, retry policy, transport and endpoint. Deriving from <see cref="ArmResource"/> is how
/// resource-provider SDKs reach that pipeline.
/// </summary>
internal sealed class ArmRestClient(ArmClient client, ResourceIdentifier scope) : ArmResource(client, scope)
{
    public Uri BaseUri => Endpoint;

    /// <summary>The URL of <paramref name="path"/> with the operation's api-version and optional query parameters.</summary>
    public Uri UrlFor(string path, ArmOperation operation, IEnumerable<KeyValuePair<string, string>>? query = null)
    {
        var text = new System.Text.StringBuilder(Endpoint.GetLeftPart(UriPartial.Authority));
        text.Append('/').Append(path.TrimStart('/'));
        text.Append("?api-version=").Append(Uri.EscapeDataString(operation.ApiVersion));
        foreach (var (key, value) in query ?? [])
        {
            text.Append('&').Append(key).Append('=').Append(Uri.EscapeDataString(value));
        }

        return new Uri(text.ToString());
    }

    /// <summary>Sends one request and returns the JSON body, or throws <see cref="ArmCallException"/> naming the call.</summary>
    public Task<JsonObject> SendAsync(ArmOperation operation, Uri url, JsonNode? body = null, CancellationToken cancellationToken = default) =>
        ArmFailure.CallAsync(
            operation,
            async () =>
            {
                using var message = Pipeline.CreateMessage();
                var request = message.Request;
                request.Method = RequestMethod.Parse(operation.Method);
                request.Uri.Reset(url);
                request.Headers.Add("Accept", "application/json");
                if (body is not null)
                {
                    request.Headers.Add("Content-Type", "application/json");
                    request.Content = RequestContent.Create(BinaryData.FromString(body.ToJsonString()));
                }
                else if (operation.Method == "POST")
                {
                    request.Content = RequestContent.Create(BinaryData.FromString(""));
                }

                await Pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
                var response = message.Response;
                if (response.IsError)
                {
                    throw new RequestFailedException(response);
                }

                return JsonNode.Parse(response.Content.ToMemory().Span) as JsonObject
                    ?? throw new InvalidDataException($"{operation} returned a body that is not a JSON object.");
            },
            cancellationToken);

    /// <summary>
    /// Streams the <c>value</c> items of a listing, following <c>nextLink</c>. A failing first page throws. When a later
    /// page cannot be had (its request fails, its nextLink leaves the Resource Manager host or repeats), the items
    /// already read are kept: paging stops, and <paramref name="paging"/> says the population is incomplete and which
    /// link was the problem.
    /// </summary>
    public async IAsyncEnumerable<JsonObject> ListAsync(ArmOperation operation, Uri url, ArmPaging paging, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { url.AbsoluteUri };
        Uri? next = url;
        var items = 0;
        while (next is not null)
        {
            JsonObject page;
            if (next == url)
            {
                page = await SendAsync(operation, next, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var (read, error) = await NextPageAsync(operation, next, cancellationToken).ConfigureAwait(false);
                if (read is null)
                {
                    paging.Stop($"the next page {Redacted(next)} could not be read ({error}); paging stopped after {items} items");
                    yield break;
                }

                page = read;
            }

            if (page["value"] is JsonArray values)
            {
                foreach (var value in values.ToArray())
                {
                    if (value is JsonObject item)
                    {
                        values.Remove(item);
                        items++;
                        yield return item;
                    }
                }
            }

            next = null;
            if (page["nextLink"] is JsonValue link && link.TryGetValue<string>(out var nextLink) && !string.IsNullOrEmpty(nextLink))
            {
                if (!Uri.TryCreate(nextLink, UriKind.Absolute, out var nextUrl)
                    || nextUrl.Scheme != Uri.UriSchemeHttps
                    || !string.Equals(nextUrl.Authority, Endpoint.Authority, StringComparison.OrdinalIgnoreCase))
                {
                    // The token goes with every request: never follow a link away from the Resource Manager endpoint.
                    paging.Stop($"{operation} returned a nextLink outside {Endpoint.GetLeftPart(UriPartial.Authority)} ({RedactedText(nextLink)}); it was not followed and paging stopped after {items} items");
                    yield break;
                }

                if (!seen.Add(nextUrl.AbsoluteUri))
                {
                    paging.Stop($"{operation} returned the nextLink {Redacted(nextUrl)} twice; paging stopped after {items} items");
                    yield break;
                }

                next = nextUrl;
            }
        }
    }

    private async Task<(JsonObject? Page, string? Error)> NextPageAsync(ArmOperation operation, Uri url, CancellationToken cancellationToken)
    {
        try
        {
            return (await SendAsync(operation, url, cancellationToken: cancellationToken).ConfigureAwait(false), null);
        }
        catch (ArmCallException ex)
        {
            return (null, ex.Message);
        }
    }

    // Next links carry skip tokens, never secrets, but a hostile one could: it goes through the redactor like any text.
    private static string Redacted(Uri url) => RedactedText(url.AbsoluteUri);

    private static string RedactedText(string text) => Aims.Evidence.Items.SecretRedactor.RedactText(text.Length > 300 ? text[..300] + "…" : text);
}
