using System.Net;
using System.Net.Sockets;
using Aims.Evidence;
using Aims.Functions.Jobs;
using Azure;

namespace Aims.Functions.Tests.Units;

public sealed class TransientFailureTests
{
    public static TheoryData<Exception, bool> Cases => new()
    {
        { new HttpRequestException("down", null, HttpStatusCode.ServiceUnavailable), true },
        { new HttpRequestException("slow down", null, HttpStatusCode.TooManyRequests), true },
        { new HttpRequestException("no route", new SocketException((int)SocketError.ConnectionRefused)), true },
        { new HttpRequestException("denied", null, HttpStatusCode.Forbidden), false },
        { new HttpRequestException("gone", null, HttpStatusCode.NotFound), false },
        { new RequestFailedException(500, "storage"), true },
        { new RequestFailedException(409, "conflict"), false },
        { new TaskCanceledException("HttpClient.Timeout"), true },
        { new IOException("Could not update index/document.json after 64 attempts"), true },
        { new FileNotFoundException("missing.md"), false },
        { new InvalidSettingException("Aims:Sources:GitHub:Token", "required"), false },
        { new InvalidOperationException("wrapper", new HttpRequestException("inner", null, HttpStatusCode.BadGateway)), true },
        { new FormatException("bad payload"), false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Retries_only_what_a_retry_can_fix(Exception exception, bool transient)
    {
        Assert.Equal(transient, TransientFailure.IsTransient(exception));
    }

    [Fact]
    public void Does_not_retry_a_cancellation_by_the_host()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.False(TransientFailure.IsTransient(new OperationCanceledException(cancelled.Token), cancelled.Token));
    }
}
