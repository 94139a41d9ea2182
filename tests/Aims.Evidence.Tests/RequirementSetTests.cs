using Aims.Evidence.Catalog;
using Aims.Evidence.Requirements;
using Aims.Testing;

namespace Aims.Evidence.Tests;

public sealed class RequirementSetTests
{
    [Fact]
    public void Defaults_give_every_control_and_clause_record_at_least_one_requirement()
    {
        var set = RequirementSet.LoadDefaults();

        var uncovered = ControlCatalog.Default.Controls.Where(c => !set.ForControl(c.Id).Any()).Select(c => c.Id).ToList();

        Assert.Empty(uncovered);
        Assert.Equal(41, ControlCatalog.Default.Controls.Count);
    }

    [Fact]
    public void An_organization_file_replaces_a_default_by_id_adds_its_own_and_can_disable()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("requirements.yaml");
        File.WriteAllText(path, """
            requirements:
              - id: ai-policy
                kind: document
                controls: [A.2.2]
                scope: { subjectType: document, facts: { documentType: ai-policy } }
                freshness: P6M
                owner: Chief Risk Officer
              - id: model-risk-register
                kind: document
                controls: [A.5.2]
                freshness: P90D
                owner: Model Risk
            disable: [customer-requirements]
            """);

        var set = RequirementSet.Load(path);

        var policy = Assert.Single(set.Requirements, r => r.Id == "ai-policy");
        Assert.Equal("Chief Risk Officer", policy.Owner);
        Assert.Equal(6, policy.Freshness.Months);
        Assert.Contains(set.Requirements, r => r.Id == "model-risk-register");
        Assert.DoesNotContain(set.Requirements, r => r.Id == "customer-requirements");
        Assert.Equal(path, policy.Location.File);
    }

    [Theory]
    [InlineData("controls: [A.99.1]", "unknown control 'A.99.1'", 4)]
    [InlineData("freshness: 90 days", "is not an ISO 8601 duration", 6)]
    [InlineData("kind: github.stars", "unknown evidence kind 'github.stars'", 3)]
    [InlineData("checks: [is-nice]", "unknown check 'is-nice'", 8)]
    [InlineData("colour: blue", "unknown field 'colour'", 8)]
    public void A_bad_entry_fails_with_file_line_and_reason(string badLine, string reason, int line)
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("requirements.yaml");
        var lines = new List<string>
        {
            "requirements:",
            "  - id: custom",
            "    kind: document",
            "    controls: [A.2.2]",
            "    scope: { subjectType: document }",
            "    freshness: P1Y",
            "    owner: Someone",
        };
        var key = badLine.Split(':')[0];
        var index = lines.FindIndex(l => l.TrimStart().StartsWith(key + ":", StringComparison.Ordinal));
        if (index >= 0)
        {
            lines[index] = "    " + badLine;
        }
        else
        {
            lines.Add("    " + badLine);
        }

        File.WriteAllText(path, string.Join('\n', lines));

        var error = Assert.Throws<RequirementsException>(() => RequirementSet.Load(path));
        Assert.Contains(reason, error.Message);
        Assert.Equal(path, error.Location.File);
        Assert.Equal(line, error.Location.Line);
        Assert.StartsWith($"{path}:{line}:", error.Message);
    }

    [Fact]
    public void A_duplicate_id_names_both_places()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("requirements.yaml");
        File.WriteAllText(path, """
            requirements:
              - { id: twice, kind: document, controls: [A.2.2], freshness: P1Y, owner: A }
              - { id: twice, kind: document, controls: [A.2.3], freshness: P1Y, owner: B }
            """);

        var error = Assert.Throws<RequirementsException>(() => RequirementSet.Load(path));

        Assert.Contains("duplicate requirement id 'twice'", error.Message);
        Assert.Contains($"{path}:2:", error.Message);
        Assert.Equal(3, error.Location.Line);
    }

    [Fact]
    public void Invalid_yaml_is_reported_with_its_position()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("requirements.yaml");
        File.WriteAllText(path, "requirements:\n  - id: [unclosed\n");

        var error = Assert.Throws<RequirementsException>(() => RequirementSet.Load(path));

        Assert.Contains("not valid YAML", error.Message);
        Assert.Equal(path, error.Location.File);
    }

    [Fact]
    public void A_waiver_for_an_unknown_requirement_is_rejected()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("requirements.yaml");
        File.WriteAllText(path, "waivers:\n  - { requirement: nope, reason: x, expires: 2027-01-01 }\n");

        var error = Assert.Throws<RequirementsException>(() => RequirementSet.Load(path));

        Assert.Contains("'nope', which does not exist", error.Message);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var error = Assert.Throws<RequirementsException>(() => RequirementSet.Load("/nonexistent/requirements.yaml"));

        Assert.Contains("/nonexistent/requirements.yaml", error.Message);
    }

    [Fact]
    public void A_waiver_applies_until_it_expires()
    {
        var waiver = new Waiver("x", "reason", new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), null, SourceLocation.BuiltIn);

        Assert.True(waiver.IsActive(new DateTimeOffset(2026, 12, 31, 0, 0, 0, TimeSpan.Zero)));
        Assert.False(waiver.IsActive(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero)));
    }
}
