using System.Globalization;
using Aims.Evidence.Store;

namespace Aims.Collectors.Tests.GitHub;

/// <summary>
/// A job reads a repository's kinds, and its pull requests' details and reviews, concurrently: the evidence must be the
/// same, recorded in the same order, as when every request waits for the one before it, and the job must stay within
/// its bound of requests in flight.
/// </summary>
public sealed class ConcurrentReadTests
{
    private const string Repo = "contoso/fraud-model";

    [Fact]
    public async Task Answers_arriving_out_of_order_record_the_same_evidence_in_the_same_order_as_one_request_at_a_time()
    {
        // Given a repository whose first kind and lowest-numbered pull requests answer last
        static TimeSpan Latency(FakeRequest request)
        {
            var parts = request.Path.Split('/');
            var pull = parts switch
            {
                [.., "pulls", var n] => n,
                [.., "pulls", var n, "reviews"] => n,
                _ => null,
            };
            return request.Path.EndsWith("/branches/main/protection", StringComparison.Ordinal) ? TimeSpan.FromMilliseconds(150)
                : int.TryParse(pull, CultureInfo.InvariantCulture, out var number) ? TimeSpan.FromMilliseconds((20 - number) * 8)
                : TimeSpan.Zero;
        }

        // When it is collected one request at a time, and with six requests in flight
        var serial = await LedgerAsync("1", Latency);
        var concurrent = await LedgerAsync("6", Latency);

        // Then the same kinds are recorded in the same order, with the same facts and the same raw payloads
        Assert.Equal(9, serial.Count);
        Assert.Equal(serial, concurrent);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task A_job_never_has_more_requests_on_the_wire_than_RequestsInFlight(int requestsInFlight)
    {
        // Given every answer taking a moment, so that concurrent requests overlap
        await using var h = await GitHubHarness.StartAsync();
        h.Fake.AddRepository("contoso", "fraud-model");
        h.Settings["RequestsInFlight"] = requestsInFlight.ToString(CultureInfo.InvariantCulture);
        h.Fake.Latency = _ => TimeSpan.FromMilliseconds(5);

        // When the repository is collected
        await h.CollectAsync(Repo);

        // Then the fake never answered more requests at once than the bound, and every kind was recorded
        Assert.InRange(h.Fake.MaxInFlight, 1, requestsInFlight);
        Assert.Empty(await h.ErrorsAsync(Repo));
        Assert.Equal(8, (await h.ItemsAsync()).Count);
    }

    /// <summary>Collects the repository and lists, in ledger order, each item's kind, facts and raw payload hash.</summary>
    private static async Task<List<(string Kind, string Facts, string? Raw)>> LedgerAsync(string requestsInFlight, Func<FakeRequest, TimeSpan> latency)
    {
        await using var h = await GitHubHarness.StartAsync();
        h.Fake.AddRepository("contoso", "fraud-model");
        h.Settings["EvaluationWorkflows"] = "evaluate.yml";
        h.Settings["RequestsInFlight"] = requestsInFlight;
        h.Fake.Latency = latency;
        await h.CollectAsync(Repo);

        var entries = new List<LedgerEntry>();
        await foreach (var entry in h.Store.ReadLedgerAsync())
        {
            entries.Add(entry);
        }

        var recorded = new List<(string, string, string?)>();
        foreach (var entry in entries)
        {
            var item = (await h.Store.GetItemAsync(entry.ItemId))!;
            recorded.Add((item.Kind, item.Facts.ToJsonString(), item.RawSha256));
        }

        return recorded;
    }
}
