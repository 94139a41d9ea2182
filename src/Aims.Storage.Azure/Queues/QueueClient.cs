using System.Globalization;
using System.Text;
using System.Xml;
using Azure;
using Azure.Core;

namespace Aims.Storage.Azure.Queues;

/// <summary>
/// One Storage queue over REST on Azure.Core's pipeline, shaped like the Azure SDK's <c>QueueClient</c>.
/// Message text travels base64-encoded (the Functions host's default), so any bytes can be queued.
/// </summary>
public sealed class QueueClient
{
    /// <summary>The service's limit on a message's (base64) text.</summary>
    public const int MaxMessageTextBytes = 64 * 1024;

    private static readonly TimeSpan MaxVisibilityTimeout = TimeSpan.FromDays(7);
    private readonly StorageRestPipeline _rest;

    public QueueClient(Uri queueUri, StorageSharedKeyCredential credential, QueueClientOptions? options = null)
    {
        options ??= new QueueClientOptions();
        _rest = StorageRestPipeline.Create(queueUri, options, credential, options.TimeProvider);
        Validate();
    }

    /// <summary>Entra ID authorization (managed identity, developer sign-in); https endpoints only.</summary>
    public QueueClient(Uri queueUri, TokenCredential credential, QueueClientOptions? options = null)
    {
        _rest = StorageRestPipeline.Create(queueUri, options ?? new QueueClientOptions(), credential);
        Validate();
    }

    public QueueClient(string connectionString, string queueName, QueueClientOptions? options = null)
        : this(StorageConnectionString.Parse(connectionString), queueName, options)
    {
    }

    public QueueClient(StorageConnectionString connection, string queueName, QueueClientOptions? options = null)
        : this(new Uri($"{connection.QueueEndpoint.AbsoluteUri.TrimEnd('/')}/{queueName}"), connection.Credential, options)
    {
    }

    public Uri Uri => _rest.ResourceUri;

    public string Name => _rest.ResourceUri.Segments[^1];

    /// <summary>Creates the queue; returns false when it already exists.</summary>
    public async Task<bool> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = _rest.CreateMessage(RequestMethod.Put);
        message.Request.Content = RequestContent.Create(ReadOnlyMemory<byte>.Empty);
        var response = await _rest.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return response.Status switch
        {
            201 => true,
            204 => false,
            409 when ErrorCode(response) == "QueueAlreadyExists" => false,
            _ => throw StorageRestPipeline.Failure(response),
        };
    }

    /// <summary>Deletes the queue; returns false when there was none.</summary>
    public async Task<bool> DeleteIfExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = _rest.CreateMessage(RequestMethod.Delete);
        var response = await _rest.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return response.Status switch
        {
            204 => true,
            404 => false,
            _ => throw StorageRestPipeline.Failure(response),
        };
    }

    /// <summary>Get Queue Metadata: the approximate number of messages.</summary>
    public async Task<Response<QueueProperties>> GetPropertiesAsync(CancellationToken cancellationToken = default)
    {
        using var message = _rest.CreateMessage(RequestMethod.Get, null, ("comp", "metadata"));
        var response = await _rest.SendCheckedAsync(message, cancellationToken).ConfigureAwait(false);
        var count = response.Headers.TryGetValue("x-ms-approximate-messages-count", out var c) ? int.Parse(c, CultureInfo.InvariantCulture) : 0;
        var metadata = response.Headers
            .Where(h => h.Name.StartsWith(StorageConstants.MetadataPrefix, StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Name[StorageConstants.MetadataPrefix.Length..], h => h.Value, StringComparer.OrdinalIgnoreCase);
        return Response.FromValue(new QueueProperties(count, metadata), response);
    }

    /// <summary>Put Message. The payload is base64-encoded into the message text.</summary>
    public async Task<Response<SendReceipt>> SendMessageAsync(BinaryData message, TimeSpan? visibilityTimeout = null, TimeSpan? timeToLive = null, CancellationToken cancellationToken = default)
    {
        var text = Convert.ToBase64String(message.ToMemory().Span);
        if (text.Length > MaxMessageTextBytes)
        {
            throw new ArgumentException($"The message is {message.ToMemory().Length} bytes; base64-encoded it exceeds the queue's {MaxMessageTextBytes / 1024} KiB limit.", nameof(message));
        }

        using var request = _rest.CreateMessage(RequestMethod.Post, "messages",
            ("visibilitytimeout", Seconds(visibilityTimeout, nameof(visibilityTimeout))),
            ("messagettl", timeToLive is { } ttl ? ((long)ttl.TotalSeconds).ToString(CultureInfo.InvariantCulture) : null));
        request.Request.Headers.SetValue("Content-Type", "application/xml; charset=utf-8");
        request.Request.Content = RequestContent.Create(Encoding.UTF8.GetBytes($"<QueueMessage><MessageText>{text}</MessageText></QueueMessage>"));
        var response = await _rest.SendCheckedAsync(request, cancellationToken).ConfigureAwait(false);
        var messages = await ReadMessagesAsync(response, cancellationToken).ConfigureAwait(false);
        var sent = messages.Count == 1 ? messages[0] : throw new FormatException($"Put Message on {Name} returned {messages.Count} messages instead of one.");
        return Response.FromValue(new SendReceipt(sent.MessageId, sent.InsertionTime, sent.ExpirationTime, sent.PopReceipt, sent.TimeNextVisible), response);
    }

    public Task<Response<SendReceipt>> SendMessageAsync(string message, TimeSpan? visibilityTimeout = null, TimeSpan? timeToLive = null, CancellationToken cancellationToken = default) =>
        SendMessageAsync(BinaryData.FromString(message), visibilityTimeout, timeToLive, cancellationToken);

    /// <summary>Get Messages: up to <paramref name="maxMessages"/> (1–32) messages, hidden for <paramref name="visibilityTimeout"/>.</summary>
    public async Task<Response<QueueMessage[]>> ReceiveMessagesAsync(int maxMessages = 1, TimeSpan? visibilityTimeout = null, CancellationToken cancellationToken = default)
    {
        if (maxMessages is < 1 or > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(maxMessages), maxMessages, "A batch holds 1 to 32 messages.");
        }

        using var request = _rest.CreateMessage(RequestMethod.Get, "messages",
            ("numofmessages", maxMessages.ToString(CultureInfo.InvariantCulture)),
            ("visibilitytimeout", Seconds(visibilityTimeout, nameof(visibilityTimeout))));
        var response = await _rest.SendCheckedAsync(request, cancellationToken).ConfigureAwait(false);
        var messages = await ReadMessagesAsync(response, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(messages.Select(m => m.ToMessage(Name)).ToArray(), response);
    }

    /// <summary>Delete Message: removes a received message (needs its current pop receipt).</summary>
    public async Task<Response> DeleteMessageAsync(string messageId, string popReceipt, CancellationToken cancellationToken = default)
    {
        using var request = _rest.CreateMessage(RequestMethod.Delete, $"messages/{MessageId(messageId)}", ("popreceipt", popReceipt));
        return await _rest.SendCheckedAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Update Message: changes when a received message becomes visible again (0 = now), and optionally its payload.
    /// The old pop receipt stops working; use the returned one.
    /// </summary>
    public async Task<Response<UpdateReceipt>> UpdateMessageAsync(string messageId, string popReceipt, TimeSpan visibilityTimeout, BinaryData? message = null, CancellationToken cancellationToken = default)
    {
        using var request = _rest.CreateMessage(RequestMethod.Put, $"messages/{MessageId(messageId)}",
            ("popreceipt", popReceipt),
            ("visibilitytimeout", Seconds(visibilityTimeout, nameof(visibilityTimeout))));
        var body = message is null ? "" : $"<QueueMessage><MessageText>{Convert.ToBase64String(message.ToMemory().Span)}</MessageText></QueueMessage>";
        if (body.Length > 0)
        {
            request.Request.Headers.SetValue("Content-Type", "application/xml; charset=utf-8");
        }

        request.Request.Content = RequestContent.Create(Encoding.UTF8.GetBytes(body));
        var response = await _rest.SendCheckedAsync(request, cancellationToken).ConfigureAwait(false);
        var receipt = response.Headers.TryGetValue("x-ms-popreceipt", out var pop) ? pop : throw new FormatException($"Update Message on {Name} returned no x-ms-popreceipt.");
        var next = response.Headers.TryGetValue("x-ms-time-next-visible", out var t) ? Time(t) : default;
        return Response.FromValue(new UpdateReceipt(receipt, next), response);
    }

    /// <summary>The service's error code of a failed response, e.g. <c>MessageNotFound</c>.</summary>
    public static string? ErrorCode(Response response) =>
        response.Headers.TryGetValue(StorageConstants.ErrorCodeHeader, out var code) ? code : null;

    private static async Task<List<RawMessage>> ReadMessagesAsync(Response response, CancellationToken cancellationToken)
    {
        var messages = new List<RawMessage>();
        try
        {
            using var reader = await XmlElementReader.OpenAsync(response.ContentStream ?? Stream.Null, "QueueMessagesList").ConfigureAwait(false);
            await XmlElementReader.ReadChildrenAsync(reader, async child =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (child.LocalName != "QueueMessage")
                {
                    await child.SkipAsync().ConfigureAwait(false);
                    return;
                }

                var fields = new Dictionary<string, string>(StringComparer.Ordinal);
                await XmlElementReader.ReadChildrenAsync(child, async f =>
                {
                    var name = f.LocalName;
                    fields[name] = await XmlElementReader.ReadTextAsync(f).ConfigureAwait(false);
                }).ConfigureAwait(false);
                messages.Add(RawMessage.From(fields));
            }).ConfigureAwait(false);
        }
        catch (XmlException ex)
        {
            throw new FormatException($"A queue response is not well-formed XML: {ex.Message}", ex);
        }

        return messages;
    }

    private static string? Seconds(TimeSpan? value, string name)
    {
        if (value is not { } v)
        {
            return null;
        }

        if (v < TimeSpan.Zero || v > MaxVisibilityTimeout)
        {
            throw new ArgumentOutOfRangeException(name, v, "A visibility timeout is between 0 and 7 days.");
        }

        return ((long)v.TotalSeconds).ToString(CultureInfo.InvariantCulture);
    }

    private static string MessageId(string messageId) =>
        !string.IsNullOrEmpty(messageId) && !messageId.Contains('/', StringComparison.Ordinal)
            ? messageId
            : throw new ArgumentException($"'{messageId}' is not a message id.", nameof(messageId));

    private static DateTimeOffset Time(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private void Validate()
    {
        var name = Name;
        if (name.Length is < 3 or > 63 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            || name.StartsWith('-') || name.EndsWith('-') || name.Contains("--", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' is not a valid queue name (3–63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit).");
        }
    }

    private sealed record RawMessage(string MessageId, string PopReceipt, string? Text, long DequeueCount, DateTimeOffset InsertionTime, DateTimeOffset ExpirationTime, DateTimeOffset TimeNextVisible)
    {
        public static RawMessage From(Dictionary<string, string> f)
        {
            string Get(string name) => f.TryGetValue(name, out var v) ? v : throw new FormatException($"A queue message has no <{name}>.");
            return new RawMessage(
                Get("MessageId"),
                Get("PopReceipt"),
                f.GetValueOrDefault("MessageText"),
                f.TryGetValue("DequeueCount", out var d) ? long.Parse(d, CultureInfo.InvariantCulture) : 0,
                Time(Get("InsertionTime")),
                Time(Get("ExpirationTime")),
                Time(Get("TimeNextVisible")));
        }

        public QueueMessage ToMessage(string queue)
        {
            BinaryData body;
            try
            {
                body = BinaryData.FromBytes(Convert.FromBase64String(Text ?? ""));
            }
            catch (FormatException)
            {
                throw new FormatException($"Message {MessageId} on queue '{queue}' is not base64 text; it was not queued by this client or the Functions host.");
            }

            return new QueueMessage(MessageId, PopReceipt, body, DequeueCount, InsertionTime, ExpirationTime, TimeNextVisible);
        }
    }
}
