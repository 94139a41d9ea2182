using System.Text.Json.Nodes;
using Aims.Functions.Events;
using Aims.Functions.Tests.Infrastructure;

namespace Aims.Functions.Tests.Units;

public sealed class RunEventsTests
{
    [Fact]
    public void Changes_say_what_changed_from_what_to_what_and_nothing_on_a_first_analysis()
    {
        var before = new GapSnapshot(new Dictionary<string, string> { ["control/A.2.2"] = "ok", ["requirement/policy-approved"] = "ok", ["system/credit-scoring"] = "due-soon" });
        var after = new GapSnapshot(new Dictionary<string, string> { ["control/A.2.2"] = "missing", ["requirement/policy-approved"] = "ok", ["system/credit-scoring"] = "due-soon", ["system/chatbot"] = "ok" });

        var changes = after.ChangesSince(before);

        Assert.Equal([new GapChange("control", "A.2.2", "ok", "missing"), new GapChange("system", "chatbot", null, "ok")], changes);
        Assert.Empty(after.ChangesSince(null));
    }

    [Fact]
    public async Task Events_go_out_in_chunks_with_cloud_event_ids_as_message_ids()
    {
        var sender = new RecordingSender();
        var events = Enumerable.Range(0, 120).Select(i => new JsonObject { ["id"] = $"id-{i}", ["type"] = RunEventFactory.GapChanged }).ToList();

        await new ServiceBusRunEvents(sender).PublishAsync(events, CancellationToken.None);

        Assert.Equal(3, sender.Calls);
        Assert.Equal(events.Select(e => e["id"]!.GetValue<string>()), sender.Sent.Select(m => m.MessageId));
        Assert.All(sender.Sent, m => Assert.Equal("application/cloudevents+json", m.ContentType));
    }
}
