using System.Globalization;
using Aims.Collectors.Ticketing;
using Aims.Evidence.Items;

namespace Aims.Collectors.Tests.Ticketing;

public sealed class TicketEvidenceTests
{
    private static readonly DateTimeOffset T0 = new(2025, 2, 1, 0, 0, 0, TimeSpan.Zero);

    private static Ticket Ticket(string key, bool open = false, double? resolvedAfterHours = null, DateTimeOffset? due = null, bool canceled = false) => new()
    {
        Key = key,
        Project = "FRAUD",
        CreatedAt = T0,
        Open = open,
        Canceled = canceled,
        ResolvedAt = resolvedAfterHours is { } h ? T0.AddHours(h) : null,
        DueAt = due,
    };

    private static TicketPopulation Population(TicketKind kind, params Ticket[] tickets) => new()
    {
        System = "jira",
        Kind = kind,
        SubjectId = $"jira/FRAUD/{kind.Slug}",
        DisplayName = "Jira FRAUD",
        Project = "FRAUD",
        Query = "q",
        Locator = "/rest/api/3/search/jql",
        Period = TicketingHarness.Period,
        Tickets = tickets,
    };

    public sealed class Incidents
    {
        [Fact]
        public void The_median_of_an_even_count_is_the_mean_of_the_middle_two_and_canceled_ones_do_not_count()
        {
            var facts = TicketEvidence.Facts(Population(TicketKind.Incidents,
                Ticket("A", resolvedAfterHours: 1), Ticket("B", resolvedAfterHours: 2), Ticket("C", resolvedAfterHours: 10), Ticket("D", resolvedAfterHours: 100),
                Ticket("E", resolvedAfterHours: 0.5, canceled: true), Ticket("F", open: true)), T0);

            Assert.Equal(6, facts["count"]!.GetValue<int>());
            Assert.Equal(1, facts["open"]!.GetValue<int>());
            Assert.Equal(5, facts["resolved"]!.GetValue<int>());
            Assert.Equal(6, facts["medianHoursToResolve"]!.GetValue<double>());
        }

        [Fact]
        public void No_resolved_incident_means_no_median()
        {
            var facts = TicketEvidence.Facts(Population(TicketKind.Incidents, Ticket("A", open: true)), T0);

            Assert.True(facts.ContainsKey("medianHoursToResolve"));
            Assert.Null(facts["medianHoursToResolve"]);
            Assert.Single(facts["incidents"]!.AsArray());
        }
    }

    public sealed class Nonconformities
    {
        [Fact]
        public void Open_past_their_due_date_as_of_the_observation_are_overdue_and_late_closures_are_counted()
        {
            var asOf = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
            var facts = TicketEvidence.Facts(Population(TicketKind.Nonconformities,
                Ticket("OVERDUE", open: true, due: asOf.AddDays(-1)),
                Ticket("NOT-YET", open: true, due: asOf.AddDays(1)),
                Ticket("NO-DUE", open: true),
                Ticket("LATE", resolvedAfterHours: 48, due: T0.AddHours(24)),
                Ticket("ON-TIME", resolvedAfterHours: 12, due: T0.AddHours(24))), asOf);

            Assert.Equal(1, facts["overdue"]!.GetValue<int>());
            Assert.Equal(1, facts["closedLate"]!.GetValue<int>());
            Assert.Equal(1, facts["withoutDueDate"]!.GetValue<int>());
            Assert.Equal(3, facts["open"]!.GetValue<int>());
            var overdue = facts["nonconformities"]!.AsArray().Single(n => n!["key"]!.GetValue<string>() == "OVERDUE")!;
            Assert.True(overdue["overdue"]!.GetValue<bool>());
            Assert.Equal("2025-03-01T00:00:00Z", facts["asOf"]!.GetValue<string>());
        }
    }

    public sealed class Approvals
    {
        [Fact]
        public void Only_approvals_by_the_requester_make_a_ticket_self_approved()
        {
            var self = Ticket("SELF") with { RequesterId = "u1", Approvals = [new("Mia", TicketApproval.Approved, T0, "u1")] };
            var other = Ticket("OTHER") with { RequesterId = "u1", Approvals = [new("Mia", TicketApproval.Approved, T0, "u1"), new("Ana", TicketApproval.Approved, T0, "u2")] };

            Assert.True(self.SelfApproved);
            Assert.False(other.SelfApproved);
            Assert.Equal("Ana", other.Approval!.Approver);
        }

        [Fact]
        public void A_rejected_ticket_counts_as_rejected_not_approved()
        {
            var rejected = Ticket("R", open: true) with { Approvals = [new("Fred", TicketApproval.Rejected, T0)] };

            var facts = TicketEvidence.Facts(Population(TicketKind.ChangeRequests, rejected), T0);

            Assert.Equal(1, facts["rejected"]!.GetValue<int>());
            Assert.Equal(0, facts["approved"]!.GetValue<int>());
            Assert.Equal(1, facts["pendingApproval"]!.GetValue<int>());
            Assert.Equal(0, facts["withoutApproval"]!.GetValue<int>());
        }
    }

    public sealed class Period
    {
        [Theory]
        [InlineData("2024-06-01", null, true, true)]       // raised before, still open
        [InlineData("2024-06-01", "2024-12-31", false, false)] // finished before the period
        [InlineData("2024-06-01", "2025-01-02", false, true)]  // finished during the period
        [InlineData("2025-04-01", null, true, false)]      // raised after the period
        public void A_ticket_is_in_the_period_when_it_was_live_during_it(string created, string? resolved, bool open, bool expected)
        {
            var ticket = new Ticket
            {
                Key = "K",
                Project = "P",
                CreatedAt = Utc(created),
                ResolvedAt = resolved is null ? null : Utc(resolved),
                Open = open,
            };

            Assert.Equal(expected, ticket.InPeriod(new EvidencePeriod(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 4, 1, 0, 0, 0, TimeSpan.Zero))));
        }

        private static DateTimeOffset Utc(string date) =>
            DateTimeOffset.Parse(date, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
    }
}
