using Aims.Evidence.Items;
using Microsoft.Extensions.Logging;

namespace Aims.Cli;

/// <summary>Writes warnings and errors as single redacted lines to standard error, keeping standard output for reports.</summary>
internal sealed class StderrLoggerProvider(TextWriter writer) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new StderrLogger(writer);

    public void Dispose()
    {
    }

    private sealed class StderrLogger(TextWriter writer) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            lock (writer)
            {
                // Log arguments quote sources and inputs; whatever a collector forgot to redact is caught here.
                writer.WriteLine($"{(logLevel >= LogLevel.Error ? "error" : "warning")}: {SecretRedactor.RedactText(formatter(state, exception))}");
            }
        }
    }
}
