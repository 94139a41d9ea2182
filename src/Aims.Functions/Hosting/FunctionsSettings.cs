using Aims.Evidence;
using NCrontab;

namespace Aims.Functions.Hosting;

/// <summary>The handler's own settings (the shared ones are read by <see cref="Aims.Pipeline.AimsSettings"/>).</summary>
public sealed record FunctionsSettings
{
    /// <summary>The <c>Aims:Store</c> value: a folder, a connection string or a container URL.</summary>
    public required string Store { get; init; }

    /// <summary>The collection schedule, used to name a run after its scheduled tick; null when not set.</summary>
    public CrontabSchedule? CollectSchedule { get; init; }

    /// <summary>Answer bundle downloads with a short-lived read-only link instead of streaming the zip.</summary>
    public bool BundleSasLinks { get; init; }

    public static FunctionsSettings Read(IConfiguration configuration)
    {
        var store = configuration[AppSettingNames.Key(AppSettingNames.Store)];
        if (string.IsNullOrWhiteSpace(store))
        {
            throw new InvalidSettingException(AppSettingNames.Key(AppSettingNames.Store),
                "is required: a folder path, a storage connection string, or the evidence container's URL (managed identity).");
        }

        return new FunctionsSettings
        {
            Store = store.Trim(),
            CollectSchedule = ReadSchedule(configuration, AppSettingNames.CollectSchedule),
            BundleSasLinks = ReadBool(configuration, AppSettingNames.Key(AppSettingNames.BundlesSasLinks)),
        };
    }

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

    private static bool ReadBool(IConfiguration configuration, string key)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        return bool.TryParse(text.Trim(), out var value) ? value : throw new InvalidSettingException(key, $"'{text}' is not true or false.");
    }
}
