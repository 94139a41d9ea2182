using System.Globalization;
using Aims.Evidence;
using Aims.Evidence.Gaps;
using Microsoft.Extensions.Configuration;

namespace Aims.Pipeline;

/// <summary>
/// The settings under <c>Aims</c>, read and validated once at start. Every error names its setting.
/// </summary>
public sealed record AimsSettings
{
    public const string SectionName = "Aims";

    public required string Organization { get; init; }

    /// <summary>The organization's requirements file (absolute), or null to use the shipped defaults only.</summary>
    public string? RequirementsPath { get; init; }

    /// <summary>The AI system inventory file (absolute), or null when none is configured.</summary>
    public string? InventoryPath { get; init; }

    public required AuditCalendar Calendar { get; init; }

    /// <summary>Explicit start of the audit period populations are collected over; default: the previous audit or one year back.</summary>
    public DateTimeOffset? PeriodStart { get; init; }

    /// <summary>Jobs run at once by the CLI.</summary>
    public int Parallelism { get; init; } = 4;

    /// <summary>Folder relative paths resolve against (the configuration file's folder).</summary>
    public required string BaseDirectory { get; init; }

    public static AimsSettings Read(IConfiguration configuration, string baseDirectory)
    {
        var aims = configuration.GetSection(SectionName);
        var dates = new List<DateTimeOffset>();
        foreach (var child in aims.GetSection("Audit:Dates").GetChildren())
        {
            dates.Add(ParseDate(child.Path, child.Value));
        }

        var periodStartText = aims["Audit:PeriodStart"];
        var parallelismText = aims["Collection:Parallelism"];
        var parallelism = 4;
        if (parallelismText is not null && (!int.TryParse(parallelismText, NumberStyles.Integer, CultureInfo.InvariantCulture, out parallelism) || parallelism is < 1 or > 64))
        {
            throw new InvalidSettingException("Aims:Collection:Parallelism", $"'{parallelismText}' is not a whole number from 1 to 64.");
        }

        var requirements = aims["Requirements"];
        var inventory = aims["Inventory"];
        return new AimsSettings
        {
            Organization = string.IsNullOrWhiteSpace(aims["Organization"]) ? "Organization" : aims["Organization"]!,
            RequirementsPath = string.IsNullOrWhiteSpace(requirements) ? null : Path.GetFullPath(Path.Combine(baseDirectory, requirements)),
            InventoryPath = string.IsNullOrWhiteSpace(inventory) ? null : Path.GetFullPath(Path.Combine(baseDirectory, inventory)),
            Calendar = new AuditCalendar(dates),
            PeriodStart = periodStartText is null ? null : ParseDate("Aims:Audit:PeriodStart", periodStartText),
            Parallelism = parallelism,
            BaseDirectory = baseDirectory,
        };
    }

    /// <summary>The audit period collection covers, ending at <paramref name="asOf"/>.</summary>
    public Evidence.Items.EvidencePeriod PeriodFor(DateTimeOffset asOf) =>
        PeriodStart is { } start && start < asOf ? new(start, asOf) : Calendar.DefaultPeriod(asOf);

    private static DateTimeOffset ParseDate(string setting, string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d)
            ? d.ToUniversalTime()
            : throw new InvalidSettingException(setting, $"'{text}' is not a date (YYYY-MM-DD).");
}
