using System.Runtime.CompilerServices;
using Aims.Evidence.Store;
using Microsoft.Data.Sqlite;

namespace Aims.Storage;

/// <summary>
/// The folder store's index: one SQLite database (<c>state/index.db</c>). Every observation is a row keyed by item id
/// (so "is this item in the ledger?" is one key lookup), and a second table holds the latest row per kind and
/// subject, updated by one conditional upsert. Both cost O(log n) per item, nothing like rewriting a kind's index.
/// Because every observation is kept, a past date is answered here too.
/// </summary>
public sealed class SqliteEvidenceIndex : IEvidenceIndexStore
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS observations (
            item_id TEXT NOT NULL PRIMARY KEY, kind TEXT NOT NULL, subject TEXT NOT NULL, sha256 TEXT NOT NULL,
            observed_at INTEGER NOT NULL, is_error INTEGER NOT NULL) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS observations_by_subject ON observations (kind, subject, observed_at);
        CREATE TABLE IF NOT EXISTS latest (
            kind TEXT NOT NULL, subject TEXT NOT NULL, item_id TEXT NOT NULL, sha256 TEXT NOT NULL,
            observed_at INTEGER NOT NULL, is_error INTEGER NOT NULL, PRIMARY KEY (kind, subject)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS meta (name TEXT NOT NULL PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        """;

    // The same rule as IndexEntry.Supersedes, in SQL: newer wins; at the same time success beats an error; then item id.
    private const string Upsert = """
        INSERT INTO latest (kind, subject, item_id, sha256, observed_at, is_error) VALUES ($kind, $subject, $id, $sha, $at, $err)
        ON CONFLICT (kind, subject) DO UPDATE SET item_id = excluded.item_id, sha256 = excluded.sha256,
            observed_at = excluded.observed_at, is_error = excluded.is_error
        WHERE excluded.observed_at > latest.observed_at
           OR (excluded.observed_at = latest.observed_at AND excluded.is_error < latest.is_error)
           OR (excluded.observed_at = latest.observed_at AND excluded.is_error = latest.is_error AND excluded.item_id > latest.item_id);
        """;

    private readonly string _connectionString;
    private bool _schemaReady;

    public SqliteEvidenceIndex(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = true, DefaultTimeout = 60 }.ToString();
    }

    public string Path { get; }

    public string Description => Path;

    public bool KeepsHistory => true;

    public async Task RecordAsync(IReadOnlyList<IndexedObservation> observations, CancellationToken cancellationToken = default)
    {
        if (observations.Count == 0)
        {
            return;
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await RecordAsync(connection, transaction, observations, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> ContainsItemAsync(string itemId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM observations WHERE item_id = $id";
        command.Parameters.AddWithValue("$id", itemId);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    public async IAsyncEnumerable<string> ListKindsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT kind FROM latest ORDER BY kind";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return reader.GetString(0);
        }
    }

    public async IAsyncEnumerable<IndexEntry> ReadAsync(string kind, DateTimeOffset? asOf = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Parameters.AddWithValue("$kind", kind);
        if (asOf is { } date)
        {
            command.CommandText = """
                SELECT subject, item_id, sha256, observed_at, is_error FROM (
                    SELECT subject, item_id, sha256, observed_at, is_error, ROW_NUMBER() OVER (
                        PARTITION BY subject ORDER BY observed_at DESC, is_error ASC, item_id DESC) AS rank
                    FROM observations WHERE kind = $kind AND observed_at <= $asOf)
                WHERE rank = 1 ORDER BY subject
                """;
            command.Parameters.AddWithValue("$asOf", date.UtcTicks);
        }
        else
        {
            command.CommandText = "SELECT subject, item_id, sha256, observed_at, is_error FROM latest WHERE kind = $kind ORDER BY subject";
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new IndexEntry(reader.GetString(0), reader.GetString(1), reader.GetString(2), new DateTimeOffset(reader.GetInt64(3), TimeSpan.Zero), reader.GetInt64(4) != 0);
        }
    }

    public async Task ClearAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM observations; DELETE FROM latest; DELETE FROM meta;";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A number kept with the index in the same database (the folder store: how much of the ledger is indexed).</summary>
    internal static async Task<long> ReadMetaAsync(SqliteConnection connection, SqliteTransaction transaction, string name, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT value FROM meta WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long value ? value : 0;
    }

    internal static async Task WriteMetaAsync(SqliteConnection connection, SqliteTransaction transaction, string name, long value, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO meta (name, value) VALUES ($name, $value) ON CONFLICT (name) DO UPDATE SET value = excluded.value";
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$value", value);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static async Task RecordAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<IndexedObservation> observations, CancellationToken cancellationToken)
    {
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT OR IGNORE INTO observations (item_id, kind, subject, sha256, observed_at, is_error) VALUES ($id, $kind, $subject, $sha, $at, $err)";
        await using var upsert = connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText = Upsert;
        foreach (var command in new[] { insert, upsert })
        {
            foreach (var name in new[] { "$id", "$kind", "$subject", "$sha", "$at", "$err" })
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }
        }

        foreach (var (kind, entry) in observations)
        {
            foreach (var command in new[] { insert, upsert })
            {
                command.Parameters["$id"].Value = entry.ItemId;
                command.Parameters["$kind"].Value = kind;
                command.Parameters["$subject"].Value = entry.SubjectKey;
                command.Parameters["$sha"].Value = entry.ItemSha256;
                command.Parameters["$at"].Value = entry.ObservedAt.UtcTicks;
                command.Parameters["$err"].Value = entry.IsError ? 1 : 0;
            }

            // An item already recorded is not merged again: its first recording already counted.
            if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0)
            {
                await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    internal async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        // Looked at before opening: opening creates an empty file.
        var ready = Volatile.Read(ref _schemaReady) && File.Exists(Path);
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var pragma = connection.CreateCommand())
        {
            // A database deleted since (by an operator, before a rebuild) is recreated empty, never half there. Running the
            // schema costs a dozen statements; a collection opens the index once per item, so it runs again only when
            // this process has not set it up yet or the file is gone.
            pragma.CommandText = (ready ? "" : Schema) + "PRAGMA synchronous = NORMAL;";
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _schemaReady, true);
        }

        return connection;
    }
}
