using Microsoft.Extensions.Logging;

namespace Aims.Storage.Tests;

/// <summary>Records log events so tests can see which recovery path a store took.</summary>
internal sealed class CapturingLoggerFactory : ILoggerFactory
{
    private readonly List<(int EventId, string Message)> _events = [];

    public IReadOnlyList<(int EventId, string Message)> Events
    {
        get
        {
            lock (_events)
            {
                return _events.ToList();
            }
        }
    }

    public int Count(int eventId) => Events.Count(e => e.EventId == eventId);

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner._events)
            {
                owner._events.Add((eventId.Id, formatter(state, exception)));
            }
        }
    }
}
