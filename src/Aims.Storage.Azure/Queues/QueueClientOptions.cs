using Azure.Core;

namespace Aims.Storage.Azure.Queues;

/// <summary>Options for <see cref="QueueClient"/>: Azure.Core's retry, transport and diagnostics.</summary>
public sealed class QueueClientOptions : ClientOptions
{
    public QueueClientOptions() => StorageClientDefaults.Apply(this);

    /// <summary>The clock for x-ms-date (SharedKey signing).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
