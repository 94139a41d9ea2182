using System.Text;
using System.Text.Json.Nodes;
using Aims.Evidence.Collection;
using Aims.Evidence.Items;
using Aims.Functions.Jobs;

namespace Aims.Functions.Tests.Units;

public sealed class QueueMessageTests
{
    private static readonly CollectionJob Job = new("run-20261123T020000Z", "documents:0001", "Documents",
        new EvidencePeriod(new DateTimeOffset(2026, 2, 16, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero)),
        new Dictionary<string, string> { ["files"] = "policies/ai-policy.md" });

    public static TheoryData<string> Deliveries => new()
    {
        { Job.ToJson().ToJsonString() },
        { JsonValue.Create(Job.ToJson().ToJsonString())!.ToJsonString() },
        { Convert.ToBase64String(Encoding.UTF8.GetBytes(Job.ToJson().ToJsonString())) },
    };

    [Theory]
    [MemberData(nameof(Deliveries))]
    public void Decodes_a_job_however_the_text_was_wrapped(string messageText)
    {
        var decoded = QueueMessage.DecodeJob(JsonValue.Create(messageText));

        Assert.Equal(Job.JobId, decoded.JobId);
        Assert.Equal(Job.Period, decoded.Period);
        Assert.Equal("policies/ai-policy.md", decoded.Parameter("files"));
    }

    [Fact]
    public void Decodes_a_job_delivered_as_an_object()
    {
        Assert.Equal(Job.RunId, QueueMessage.DecodeJob(Job.ToJson()).RunId);
    }

    [Theory]
    [InlineData("[1,2]", "not a collection job object")]
    [InlineData("{\"runId\":\"r\"}", "jobId")]
    [InlineData("hello", "not JSON")]
    [InlineData("   ", "empty")]
    public void Names_what_is_wrong_with_a_message_that_is_not_a_job(string messageText, string expected)
    {
        var error = Assert.Throws<FormatException>(() => QueueMessage.DecodeJob(JsonValue.Create(messageText)));

        Assert.Contains(expected, error.Message);
    }
}
