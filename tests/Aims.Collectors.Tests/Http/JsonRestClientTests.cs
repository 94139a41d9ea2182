using System.Globalization;
using System.Net;
using Aims.Collectors.Http;
using Aims.Testing;
using Microsoft.AspNetCore.Http;

namespace Aims.Collectors.Tests.Http;

public sealed class JsonRestClientTests
{
    private static readonly DateTimeOffset Start = new(2025, 4, 2, 6, 0, 0, TimeSpan.Zero);

    /// <summary>A local server answering with a given function, and a client for it on a fast-forward clock.</summary>
    private sealed class Rig : IAsyncDisposable
    {
        private readonly HttpClient _http;
        private int _calls;

        private Rig(LocalHttpServer server, HttpClient http, JsonRestClient client, FastForwardTimeProvider clock, IResponseCache? cache)
        {
            Server = server;
            _http = http;
            Client = client;
            Clock = clock;
            Cache = cache;
        }

        public LocalHttpServer Server { get; }

        public JsonRestClient Client { get; }

        public FastForwardTimeProvider Clock { get; }

        public IResponseCache? Cache { get; }

        public List<string> Paths { get; } = [];

        public List<string?> IfNoneMatch { get; } = [];

        public int Authorizations => Volatile.Read(ref _calls);

        public static async Task<Rig> StartAsync(
            Func<HttpContext, int, Task> respond, Func<JsonRestClientOptions, JsonRestClientOptions>? configure = null, TimeSpan? timeout = null)
        {
            var clock = new FastForwardTimeProvider(Start);
            Rig? rig = null;
            var count = 0;
            var server = await LocalHttpServer.StartAsync(async context =>
            {
                lock (rig!.Paths)
                {
                    rig.Paths.Add(context.Request.Path + context.Request.QueryString);
                    rig.IfNoneMatch.Add(context.Request.Headers.IfNoneMatch.Count > 0 ? context.Request.Headers.IfNoneMatch.ToString() : null);
                }

                await respond(context, Interlocked.Increment(ref count));
            });
            var http = new HttpClient(server.CreateClientHandler()) { Timeout = timeout ?? TimeSpan.FromSeconds(30) };
            var cache = new InMemoryResponseCache();
            var options = new JsonRestClientOptions
            {
                Source = "Test",
                Cache = cache,
                BaseDelay = TimeSpan.FromSeconds(1),
                MaxBackoff = TimeSpan.FromSeconds(30),
                Random = new Random(7),
            };
            options = configure?.Invoke(options) ?? options;
            var client = new JsonRestClient(http, new Uri(server.BaseUri, "api/"), options with
            {
                Authorize = (message, _) =>
                {
                    Interlocked.Increment(ref rig!._calls);
                    message.Headers.Authorization = new("Bearer", "rig-token");
                    return ValueTask.CompletedTask;
                },
            }, clock);
            rig = new Rig(server, http, client, clock, options.Cache);
            return rig;
        }

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            await Server.DisposeAsync();
        }
    }

    private static Task Json(HttpContext context, string body, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body);
    }

    public sealed class GetPagesAsync
    {
        [Fact]
        public async Task Pages_through_link_header_until_no_next()
        {
            await using var rig = await Rig.StartAsync((context, _) =>
            {
                var page = int.Parse(context.Request.Query["page"].FirstOrDefault() ?? "1", CultureInfo.InvariantCulture);
                if (page < 3)
                {
                    context.Response.Headers.Link = $"<http://{context.Request.Host}/api/things?per_page=2&page={page + 1}>; rel=\"next\", <http://{context.Request.Host}/api/things?per_page=2&page=3>; rel=\"last\"";
                }

                return Json(context, $"[{page * 10}, {(page * 10) + 1}]");
            });

            var values = new List<int>();
            await foreach (var page in rig.Client.GetPagesAsync("things?per_page=2"))
            {
                values.AddRange(page.ParseArray().Select(n => n!.GetValue<int>()));
            }

            Assert.Equal([10, 11, 20, 21, 30, 31], values);
            Assert.Equal(["/api/things?per_page=2", "/api/things?per_page=2&page=2", "/api/things?per_page=2&page=3"], rig.Paths);
        }

        [Fact]
        public async Task A_next_link_to_a_page_already_read_stops_paging_and_marks_the_progress_incomplete()
        {
            await using var rig = await Rig.StartAsync((context, _) =>
            {
                context.Response.Headers.Link = $"<http://{context.Request.Host}/api/things?page=2>; rel=\"next\"";
                return Json(context, "[1]");
            });
            var progress = new PagingProgress();

            var pages = 0;
            await foreach (var _ in rig.Client.GetPagesAsync("things", progress: progress))
            {
                pages++;
            }

            Assert.Equal(2, pages);
            Assert.Equal(["/api/things", "/api/things?page=2"], rig.Paths);
            Assert.False(progress.Complete);
            Assert.Contains("links back to a page already read", progress.StopReason, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Without_progress_a_next_link_loop_fails_naming_the_path_instead_of_passing_for_a_whole_listing()
        {
            await using var rig = await Rig.StartAsync((context, _) =>
            {
                context.Response.Headers.Link = $"<http://{context.Request.Host}/api/things?page=2>; rel=\"next\"";
                return Json(context, "[1]");
            });

            var error = await Assert.ThrowsAsync<SourceRequestException>(async () =>
            {
                await foreach (var _ in rig.Client.GetPagesAsync("things"))
                {
                }
            });

            Assert.Contains("/api/things", error.Message, StringComparison.Ordinal);
            Assert.Contains("links back to a page already read", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Refuses_to_follow_a_next_link_to_another_host()
        {
            await using var rig = await Rig.StartAsync((context, _) =>
            {
                context.Response.Headers.Link = "<https://elsewhere.example.com/api/things?page=2>; rel=\"next\"";
                return Json(context, "[1]");
            });

            var ex = await Assert.ThrowsAsync<SourceRequestException>(async () =>
            {
                await foreach (var _ in rig.Client.GetPagesAsync("things"))
                {
                }
            });

            Assert.Contains("elsewhere.example.com", ex.Message);
            Assert.Single(rig.Paths);
        }
    }

    public sealed class SendAsync
    {
        [Fact]
        public async Task Retries_a_429_after_the_retry_after_seconds()
        {
            await using var rig = await Rig.StartAsync((context, n) =>
            {
                if (n == 1)
                {
                    context.Response.Headers.RetryAfter = "12";
                    return Json(context, "{\"message\":\"slow down\"}", 429);
                }

                return Json(context, "{\"ok\":true}");
            });

            var response = await rig.Client.GetAsync("things");

            Assert.True(response.ParseObject()["ok"]!.GetValue<bool>());
            Assert.Equal([TimeSpan.FromSeconds(12)], rig.Clock.Waits);
            Assert.Equal(2, rig.Authorizations);
        }

        [Fact]
        public async Task Retries_a_503_after_a_retry_after_http_date()
        {
            await using var rig = await Rig.StartAsync((context, n) =>
            {
                if (n == 1)
                {
                    context.Response.Headers.RetryAfter = Start.AddSeconds(45).ToString("r", CultureInfo.InvariantCulture);
                    return Json(context, "{}", 503);
                }

                return Json(context, "{}");
            });

            await rig.Client.GetAsync("things");

            Assert.Equal([TimeSpan.FromSeconds(45)], rig.Clock.Waits);
        }

        [Fact]
        public async Task Gives_up_on_a_persistent_500_with_exponential_backoff_naming_method_path_and_status()
        {
            await using var rig = await Rig.StartAsync((context, _) => Json(context, "{\"message\":\"boom\"}", 500));

            var ex = await Assert.ThrowsAsync<SourceRequestException>(() => rig.Client.GetAsync("things/7"));

            Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);
            Assert.Contains("GET /api/things/7", ex.Message);
            Assert.Contains("500", ex.Message);
            Assert.Contains("boom", ex.Message);
            Assert.Equal(5, rig.Paths.Count);
            var waits = rig.Clock.Waits;
            Assert.Equal(4, waits.Count);
            for (var i = 0; i < waits.Count; i++)
            {
                var ceiling = TimeSpan.FromSeconds(Math.Pow(2, i));
                Assert.InRange(waits[i], ceiling / 2, ceiling);
            }
        }

        [Fact]
        public async Task A_persistent_429_ends_as_throttled_with_the_retry_after()
        {
            await using var rig = await Rig.StartAsync((context, _) =>
            {
                context.Response.Headers.RetryAfter = "3";
                return Json(context, "{}", 429);
            });

            var ex = await Assert.ThrowsAsync<SourceThrottledException>(() => rig.Client.GetAsync("things"));

            Assert.Equal(TimeSpan.FromSeconds(3), ex.RetryAfter);
            Assert.Equal(5, rig.Paths.Count);
        }

        [Fact]
        public async Task A_retry_after_beyond_the_allowed_wait_is_throttled_at_once()
        {
            await using var rig = await Rig.StartAsync(
                (context, _) =>
                {
                    context.Response.Headers.RetryAfter = "3600";
                    return Json(context, "{}", 429);
                },
                o => o with { MaxRateLimitWait = TimeSpan.FromMinutes(5) });

            var ex = await Assert.ThrowsAsync<SourceThrottledException>(() => rig.Client.GetAsync("things"));

            Assert.Equal(TimeSpan.FromHours(1), ex.RetryAfter);
            Assert.Empty(rig.Clock.Waits);
            Assert.Single(rig.Paths);
        }

        [Fact]
        public async Task A_401_is_an_auth_failure_with_the_providers_message()
        {
            await using var rig = await Rig.StartAsync((context, _) => Json(context, "{\"errorMessages\":[\"You do not have the permission to see the specified issue.\"]}", 401));

            var ex = await Assert.ThrowsAsync<SourceAuthException>(() => rig.Client.GetAsync("issue/AI-1"));

            Assert.Contains("GET /api/issue/AI-1", ex.Message);
            Assert.Contains("401", ex.Message);
            Assert.Contains("You do not have the permission", ex.Message);
            Assert.Single(rig.Paths);
        }

        [Fact]
        public async Task A_403_names_the_missing_permission_the_provider_reports()
        {
            await using var rig = await Rig.StartAsync(
                (context, _) => Json(context, "{\"error\":{\"message\":\"Insufficient rights\"}}", 403),
                o => o with { DescribeError = (r, b) => new ProviderError(ProviderErrors.MessageOf(b), "itil role") });

            var ex = await Assert.ThrowsAsync<SourceAuthException>(() => rig.Client.GetAsync("table/incident"));

            Assert.Equal("itil role", ex.MissingPermission);
            Assert.Contains("Insufficient rights", ex.Message);
            Assert.Contains("itil role", ex.Message);
        }

        [Fact]
        public async Task A_404_is_not_found()
        {
            await using var rig = await Rig.StartAsync((context, _) => Json(context, "{\"message\":\"Not Found\"}", 404));

            var ex = await Assert.ThrowsAsync<SourceNotFoundException>(() => rig.Client.GetAsync("things/404"));

            Assert.Contains("/api/things/404", ex.Message);
        }

        [Fact]
        public async Task Malformed_json_names_the_path()
        {
            await using var rig = await Rig.StartAsync((context, _) => Json(context, "{\"items\": [1, 2"));

            var response = await rig.Client.GetAsync("things?x=1");
            var ex = Assert.Throws<SourceRequestException>(() => response.ParseJson());

            Assert.Contains("GET /api/things?x=1", ex.Message);
            Assert.Contains("malformed JSON", ex.Message);
        }

        [Fact]
        public async Task A_connection_refused_is_retried_then_reported_without_a_status()
        {
            var closed = await LocalHttpServer.StartAsync(_ => Task.CompletedTask);
            var url = new Uri(closed.BaseUri, "api/");
            await closed.DisposeAsync();
            var clock = new FastForwardTimeProvider(Start);
            using var http = new HttpClient();
            var client = new JsonRestClient(http, url, new JsonRestClientOptions { Source = "Test", MaxAttempts = 3 }, clock);

            var ex = await Assert.ThrowsAsync<SourceUnavailableException>(() => client.GetAsync("things"));

            Assert.Null(ex.StatusCode);
            Assert.Contains("GET /api/things failed after 3 attempt(s)", ex.Message);
            Assert.Equal(2, clock.Waits.Count);
        }

        [Fact]
        public async Task A_timeout_is_retried()
        {
            await using var rig = await Rig.StartAsync(
                async (context, n) =>
                {
                    if (n == 1)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                        return;
                    }

                    await Json(context, "[]");
                },
                timeout: TimeSpan.FromMilliseconds(300));

            var response = await rig.Client.GetAsync("slow");

            Assert.Empty(response.ParseArray());
            Assert.Equal(2, rig.Paths.Count);
        }

        [Fact]
        public async Task An_unchanged_resource_is_served_from_the_cache_after_a_304()
        {
            await using var rig = await Rig.StartAsync((context, _) =>
            {
                const string etag = "W/\"abc123\"";
                if (context.Request.Headers.IfNoneMatch.ToString() == etag)
                {
                    context.Response.StatusCode = 304;
                    return Task.CompletedTask;
                }

                context.Response.Headers.ETag = etag;
                return Json(context, "{\"name\":\"fraud-model\"}");
            });

            var first = await rig.Client.GetAsync("repo");
            var second = await rig.Client.GetAsync("repo");

            Assert.False(first.FromCache);
            Assert.True(second.FromCache);
            Assert.Equal(first.Body.ToArray(), second.Body.ToArray());
            Assert.Equal([null, "W/\"abc123\""], rig.IfNoneMatch);
        }

        [Fact]
        public async Task A_request_marked_not_conditional_neither_uses_nor_fills_the_cache()
        {
            await using var rig = await Rig.StartAsync((context, _) =>
            {
                context.Response.Headers.ETag = "\"v1\"";
                return Json(context, "[]");
            });

            await rig.Client.SendAsync(RestRequest.Get("alerts", conditional: false));
            await rig.Client.SendAsync(RestRequest.Get("alerts", conditional: false));

            Assert.Equal([null, null], rig.IfNoneMatch);
            Assert.Equal(0, ((InMemoryResponseCache)rig.Cache!).Count);
        }
    }
    public sealed class InFlightAndPauses
    {
        [Fact]
        public async Task A_view_has_at_most_its_bound_of_requests_on_the_wire()
        {
            // Given a provider that takes a moment per answer and counts the requests it is answering at once
            var inFlight = 0;
            var max = 0;
            await using var rig = await Rig.StartAsync(async (context, _) =>
            {
                var now = Interlocked.Increment(ref inFlight);
                for (var seen = Volatile.Read(ref max); now > seen; seen = Volatile.Read(ref max))
                {
                    Interlocked.CompareExchange(ref max, now, seen);
                }

                await Task.Delay(10);
                Interlocked.Decrement(ref inFlight);
                await Json(context, "{}");
            });
            var view = rig.Client.WithMaxInFlight(3);

            // When twelve requests are started at once through a view bounded to three
            await Task.WhenAll(Enumerable.Range(0, 12).Select(i => view.GetAsync($"things/{i}")));

            // Then all were answered, never more than three at a time
            Assert.Equal(12, rig.Paths.Count);
            Assert.InRange(Volatile.Read(ref max), 1, 3);
        }

        [Fact]
        public async Task A_spent_quota_makes_the_concurrent_requests_of_every_view_wait_out_one_pause()
        {
            // Given a provider whose first answer says the quota is spent for the next 90 seconds
            await using var rig = await Rig.StartAsync(
                (context, n) =>
                {
                    if (n == 1)
                    {
                        context.Response.Headers["x-ratelimit-remaining"] = "0";
                        context.Response.Headers["x-ratelimit-reset"] = Start.AddSeconds(90).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                    }

                    return Json(context, "{}");
                },
                o => o with { RateLimit = new Aims.Collectors.GitHub.GitHubRateLimitPolicy() });
            await rig.Client.GetAsync("first");

            // When eight requests go out at once through two views of the client
            var views = new[] { rig.Client.WithMaxInFlight(4), rig.Client.WithMaxInFlight(4) };
            await Task.WhenAll(Enumerable.Range(0, 8).Select(i => views[i % 2].GetAsync($"things/{i}")));

            // Then between them they waited out one pause until the reset, and then all were answered
            var wait = Assert.Single(rig.Clock.Waits);
            Assert.InRange(wait, TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(92));
            Assert.Equal(9, rig.Paths.Count);
        }
    }
}
