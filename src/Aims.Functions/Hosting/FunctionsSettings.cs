using System.Globalization;
using Aims.Evidence;
using NCrontab;

namespace Aims.Functions.Hosting;

/// <summary>The Functions app's own settings (the shared ones are read by the composition in Aims.Pipeline), validated at start.</summary>
public sealed record FunctionsSettings
{
    public static readonly TimeSpan DefaultRunsCompleteWithin = TimeSpan.FromHours(6);

    /// <summary>The collection schedule, used to name a run after its tick; null when not set.</summary>
    public CrontabSchedule? CollectSchedule { get; init; }

    /// <summary>How long a run's jobs may take before the safety net analyses the run anyway.</summary>
    public TimeSpan RunsCompleteWithin { get; init; } = DefaultRunsCompleteWithin;

    /// <summary>Where events go; null when <c>Aims:Events:ServiceBus</c> is not configured.</summary>
    public ServiceBusEventSettings? Events { get; init; }

    public static FunctionsSettings Read(IConfiguration configuration) => new()
    {
        CollectSchedule = ReadSchedule(configuration, AppSettingNames.CollectSchedule),
        RunsCompleteWithin = ReadDuration(configuration, AppSettingNames.RunsCompleteWithin) ?? DefaultRunsCompleteWithin,
        Events = ServiceBusEventSettings.Read(configuration),
    };

    /// <summary>Reads a six-field NCRONTAB expression (<c>{second} {minute} {hour} {day} {month} {day-of-week}</c>).</summary>
    internal static CrontabSchedule? ReadSchedule(IConfiguration configuration, string name)
    {
        var text = configuration[name];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var schedule = CrontabSchedule.TryParse(text.Trim(), new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        return schedule ?? throw new InvalidSettingException(name,
            $"'{text}' is not a six-field NCRONTAB schedule ({{second}} {{minute}} {{hour}} {{day}} {{month}} {{day-of-week}}, e.g. '0 0 2 * * *').");
    }

    private static TimeSpan? ReadDuration(IConfiguration configuration, string key)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return TimeSpan.TryParse(text.Trim(), CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero && value <= TimeSpan.FromDays(7)
            ? value
            : throw new InvalidSettingException(key, $"'{text}' is not a duration from 00:00:01 to 7.00:00:00 (hh:mm:ss).");
    }
}

/// <summary>
/// <c>Aims:Events:ServiceBus</c>: the topic and either the namespace (managed identity) or a connection string.
/// A class, so the connection string never shows in a generated ToString.
/// </summary>
public sealed class ServiceBusEventSettings(string topic, string? fullyQualifiedNamespace, string? connectionString)
{
    public string Topic { get; } = topic;

    public string? FullyQualifiedNamespace { get; } = fullyQualifiedNamespace;

    internal string? ConnectionString { get; } = connectionString;

    public static ServiceBusEventSettings? Read(IConfiguration configuration)
    {
        var ns = configuration[AppSettingNames.ServiceBusNamespace]?.Trim();
        var connection = configuration[AppSettingNames.ServiceBusConnectionString]?.Trim();
        var topic = configuration[AppSettingNames.ServiceBusTopic]?.Trim();
        if (string.IsNullOrEmpty(ns) && string.IsNullOrEmpty(connection) && string.IsNullOrEmpty(topic))
        {
            return null;
        }

        if (string.IsNullOrEmpty(topic))
        {
            throw new InvalidSettingException(AppSettingNames.ServiceBusTopic, "is required when Aims:Events:ServiceBus is configured: the topic events are published to.");
        }

        if (string.IsNullOrEmpty(ns) == string.IsNullOrEmpty(connection))
        {
            throw new InvalidSettingException(AppSettingNames.ServiceBusNamespace,
                "give either the namespace (e.g. contoso-aims.servicebus.windows.net, managed identity) or Aims:Events:ServiceBus:ConnectionString, not both and not neither.");
        }

        if (!string.IsNullOrEmpty(ns) && (ns.Contains('/', StringComparison.Ordinal) || !ns.Contains('.', StringComparison.Ordinal)))
        {
            throw new InvalidSettingException(AppSettingNames.ServiceBusNamespace, $"'{ns}' is not a fully qualified namespace (name.servicebus.windows.net, no scheme).");
        }

        return new ServiceBusEventSettings(topic, string.IsNullOrEmpty(ns) ? null : ns, string.IsNullOrEmpty(connection) ? null : connection);
    }
}
