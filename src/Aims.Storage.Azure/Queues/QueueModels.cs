namespace Aims.Storage.Azure.Queues;

/// <summary>What Put Message returns: the id and pop receipt of the message just queued.</summary>
public sealed record SendReceipt(string MessageId, DateTimeOffset InsertionTime, DateTimeOffset ExpirationTime, string PopReceipt, DateTimeOffset TimeNextVisible);

/// <summary>A received message. <see cref="Body"/> is the decoded payload; <see cref="PopReceipt"/> is needed to delete or update it.</summary>
public sealed record QueueMessage(
    string MessageId,
    string PopReceipt,
    BinaryData Body,
    long DequeueCount,
    DateTimeOffset InsertionTime,
    DateTimeOffset ExpirationTime,
    DateTimeOffset TimeNextVisible);

/// <summary>What Update Message returns: the new pop receipt and when the message becomes visible again.</summary>
public sealed record UpdateReceipt(string PopReceipt, DateTimeOffset TimeNextVisible);

/// <summary>Queue properties: the approximate message count and metadata.</summary>
public sealed record QueueProperties(int ApproximateMessagesCount, IReadOnlyDictionary<string, string> Metadata);
