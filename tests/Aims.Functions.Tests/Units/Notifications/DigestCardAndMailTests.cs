using Aims.Functions.Notifications;

namespace Aims.Functions.Tests.Units.Notifications;

public sealed class DigestCardAndMailTests
{
    [Fact]
    public void Teams_card_leads_with_next_audit_and_readiness_then_the_first_actions_in_due_order()
    {
        var card = TeamsWebhookChannel.Card(SampleDigest.Message(new Uri("https://aims.contoso.example/digest")))["attachments"]![0]!["content"]!;

        var body = card["body"]!.AsArray();
        Assert.Equal(SampleDigest.Title, body[0]!["text"]!.GetValue<string>());
        var facts = body[1]!["facts"]!.AsArray().ToDictionary(f => f!["title"]!.GetValue<string>(), f => f!["value"]!.GetValue<string>());
        Assert.Equal("2027-02-15 (in 76 days)", facts["Next audit"]);
        Assert.Equal("25% ready: 1 of 4 requirements ok or waived", facts["Readiness"]);
        Assert.Equal("The plan: 4 actions", body[2]!["text"]!.GetValue<string>());
        var actions = body.Skip(3).Select(b => b!["text"]!.GetValue<string>()).ToList();
        Assert.Equal(4, actions.Count);
        Assert.Contains(actions.Take(2), a => a.StartsWith("**now** · fix: 3 merged PRs without independent approval in contoso/fraud-scoring", StringComparison.Ordinal));
        Assert.StartsWith("**now** · upload the approved", actions[2], StringComparison.Ordinal);
        Assert.StartsWith("**2027-01-20** · review and re-approve 'Management review minutes, January 2026'", actions[^1], StringComparison.Ordinal);
        Assert.Equal("https://aims.contoso.example/digest", card["actions"]![0]!["url"]!.GetValue<string>());
    }

    [Fact]
    public void Teams_card_escapes_markdown_from_evidence_so_it_cannot_become_a_link()
    {
        var card = TeamsWebhookChannel.Card(SampleDigest.Message())["attachments"]![0]!["content"]!;

        var texts = card["body"]!.AsArray().Skip(3).Select(b => b!["text"]!.GetValue<string>()).ToList();
        Assert.Contains(texts, t => t.Contains(@"\[evil\]\(https://phish.example\)", StringComparison.Ordinal));
        Assert.DoesNotContain(texts, t => t.Contains("[evil](", StringComparison.Ordinal));
    }

    [Fact]
    public void Email_body_is_the_first_screen_with_a_link_to_the_full_digest()
    {
        var message = GraphMailChannel.Message(SampleDigest.Message(new Uri("https://aims.contoso.example/digest")), ["lead@contoso.example"]);

        var body = message["message"]!["body"]!;
        Assert.Equal("HTML", body["contentType"]!.GetValue<string>());
        var html = body["content"]!.GetValue<string>();
        Assert.Contains("id=\"next-audit\">2027-02-15 (in 76 days)<", html, StringComparison.Ordinal);
        Assert.Contains("id=\"readiness\">25% ready: 1 of 4 requirements ok or waived<", html, StringComparison.Ordinal);
        Assert.Contains("fix: 3 merged PRs without independent approval in contoso/fraud-scoring", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://aims.contoso.example/digest\">Open the full digest</a>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"heat-map\"", html, StringComparison.Ordinal);
    }
}
