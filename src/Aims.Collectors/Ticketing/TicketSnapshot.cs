using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Aims.Collectors.Sources;
using Aims.Evidence.Items;

namespace Aims.Collectors.Ticketing;

/// <summary>
/// The tickets one query returned on its last complete read, kept in collector state so the next run can ask the
/// source only for what changed since. Kept as JSON lines (a header, then one ticket per line under the source's
/// stable id) so neither writing nor reading needs the whole file in one string. People's ids (requester, approvers)
/// are kept only as SHA-256 digests: enough to tell self-approval, nothing more.
/// </summary>
internal sealed class TicketSnapshot
{
    public const int FormatVersion = 1;
    private const string DigestPrefix = "sha256:";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { IgnoreReadOnlyProperties = true };

    /// <summary>What the snapshot was read with (site, query, fields, reading rules); any change means a full read.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>When the read that produced it began: the next run asks for tickets updated since (with a margin).</summary>
    public required DateTimeOffset ReadAt { get; init; }

    /// <summary>The evidence period the query was bounded by.</summary>
    public required EvidencePeriod Period { get; init; }

    /// <summary>The tickets by the source's stable id (Jira's numeric issue id: keys change when an issue moves).</summary>
    public required IReadOnlyDictionary<string, Ticket> Tickets { get; init; }

    /// <summary>A digest of everything that shapes a read, so a changed setting can never reuse an old snapshot.</summary>
    public static string FingerprintOf(IEnumerable<string?> parts)
    {
        var text = string.Join('\n', parts.Select(p => p is null ? "\u0000" : p.Replace("\n", "\\n", StringComparison.Ordinal)));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"v{FormatVersion}\n{text}")));
    }

    /// <summary>
    /// Reads the snapshot kept under <paramref name="key"/>. Returns (null, null) when there is none, and (null, why) when
    /// it cannot be used: another format, another fingerprint, a damaged or truncated file.
    /// </summary>
    public static async Task<(TicketSnapshot? Snapshot, string? Unusable)> LoadAsync(ICollectorState state, string source, string key, string fingerprint, CancellationToken cancellationToken = default)
    {
        await using var stream = await state.OpenAsync(source, key, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return (null, null);
        }

        try
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var header = JsonSerializer.Deserialize<Header>(await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? "", Json);
            if (header is null || header.Format != FormatVersion)
            {
                return (null, $"it is in format {header?.Format.ToString(CultureInfo.InvariantCulture) ?? "?"}, not {FormatVersion}");
            }

            if (header.Fingerprint != fingerprint)
            {
                return (null, "the query, fields or reading settings changed since it was taken");
            }

            var tickets = new Dictionary<string, Ticket>(header.Count, StringComparer.Ordinal);
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                var entry = JsonSerializer.Deserialize<Entry>(line, Json);
                if (entry?.Id is not { Length: > 0 } id || entry.Ticket is null)
                {
                    return (null, $"line {tickets.Count + 2} is not a ticket entry");
                }

                tickets[id] = entry.Ticket;
            }

            return tickets.Count == header.Count
                ? (new TicketSnapshot { Fingerprint = header.Fingerprint, ReadAt = header.ReadAt, Period = new EvidencePeriod(header.PeriodFrom, header.PeriodTo), Tickets = tickets }, null)
                : (null, $"it holds {tickets.Count} ticket(s) where its header says {header.Count} (a truncated write?)");
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            return (null, $"it is not valid ({ex.GetType().Name}: {ex.Message})");
        }
    }

    /// <summary>Replaces the snapshot under <paramref name="key"/>, spooled through a temporary file rather than memory.</summary>
    public async Task SaveAsync(ICollectorState state, string source, string key, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(Path.GetTempPath(), $"aims-state-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.jsonl");
        await using var spool = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await using (var writer = new StreamWriter(spool, new UTF8Encoding(false), 65536, leaveOpen: true))
        {
            var header = new Header(FormatVersion, Fingerprint, ReadAt, Period.From, Period.To, Tickets.Count);
            await writer.WriteLineAsync(JsonSerializer.Serialize(header, Json).AsMemory(), cancellationToken).ConfigureAwait(false);
            foreach (var (id, ticket) in Tickets.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                await writer.WriteLineAsync(JsonSerializer.Serialize(new Entry(id, Protect(ticket)), Json).AsMemory(), cancellationToken).ConfigureAwait(false);
            }
        }

        spool.Position = 0;
        await state.SaveAsync(source, key, spool, cancellationToken).ConfigureAwait(false);
    }

    // People's ids only as digests; a ticket read back from a snapshot is already protected and stays as it is.
    private static Ticket Protect(Ticket ticket) => ticket with
    {
        RequesterId = Digest(ticket.RequesterId),
        Approvals = ticket.Approvals.Select(a => a with { ApproverId = Digest(a.ApproverId) }).ToList(),
    };

    private static string? Digest(string? id) =>
        id is null || id.StartsWith(DigestPrefix, StringComparison.Ordinal)
            ? id
            : DigestPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));

    private sealed record Header(int Format, string Fingerprint, DateTimeOffset ReadAt, DateTimeOffset PeriodFrom, DateTimeOffset PeriodTo, int Count);

    private sealed record Entry(string Id, Ticket Ticket);
}
