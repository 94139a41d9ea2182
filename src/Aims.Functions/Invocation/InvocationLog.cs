namespace Aims.Functions.Invocation;

/// <summary>
/// The log of one invocation: every line goes to the handler's logger and back to the host in the response's
/// <c>Logs</c> (the host writes those to Application Insights under the invocation). Never give it a secret.
/// </summary>
public sealed partial class InvocationLog(ILogger logger, string functionName, string invocationId)
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return _lines.ToList();
            }
        }
    }

    public void Info(string message)
    {
        Add(message);
        LogInfo(logger, functionName, invocationId, message);
    }

    public void Warning(string message)
    {
        Add("Warning: " + message);
        LogWarning(logger, functionName, invocationId, message);
    }

    public void Error(string message)
    {
        Add("Error: " + message);
        LogError(logger, functionName, invocationId, message);
    }

    private void Add(string line)
    {
        lock (_lines)
        {
            _lines.Add(line);
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "{Function} ({InvocationId}): {Text}")]
    private static partial void LogInfo(ILogger logger, string function, string invocationId, string text);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "{Function} ({InvocationId}): {Text}")]
    private static partial void LogWarning(ILogger logger, string function, string invocationId, string text);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "{Function} ({InvocationId}): {Text}")]
    private static partial void LogError(ILogger logger, string function, string invocationId, string text);
}
