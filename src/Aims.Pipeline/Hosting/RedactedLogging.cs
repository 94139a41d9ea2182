using Aims.Evidence.Items;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aims.Pipeline.Hosting;

/// <summary>
/// Puts the secret redactor in front of every log sink a host registered, so no line the app logs (its own, the SDKs',
/// the Functions worker's) carries a token, a password or a connection string's key to the Functions host, Application
/// Insights or a console. Message, structured values and exception text all pass through <see cref="SecretRedactor"/>.
/// </summary>
public static class RedactedLogging
{
    /// <summary>Wraps every <see cref="ILoggerProvider"/> registered so far; call it after the last provider is added.</summary>
    public static IServiceCollection RedactLogs(this IServiceCollection services)
    {
        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType != typeof(ILoggerProvider) || descriptor.IsKeyedService)
            {
                continue;
            }

            services[i] = new ServiceDescriptor(
                typeof(ILoggerProvider),
                sp => new RedactingLoggerProvider(Create(sp, descriptor)),
                descriptor.Lifetime);
        }

        return services;
    }

    private static ILoggerProvider Create(IServiceProvider services, ServiceDescriptor descriptor) =>
        (ILoggerProvider)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));

    private sealed class RedactingLoggerProvider(ILoggerProvider inner) : ILoggerProvider, ISupportExternalScope
    {
        public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => (inner as ISupportExternalScope)?.SetScopeProvider(scopeProvider);

        public void Dispose() => inner.Dispose();
    }

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            var message = SecretRedactor.RedactText(formatter(state, exception) ?? "");
            var values = new List<KeyValuePair<string, object?>>();
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (key, value) in pairs)
                {
                    // The template itself is the developer's text; the values are what may carry a secret.
                    values.Add(new(key, key == "{OriginalFormat}" || value is null or ValueType ? value : SecretRedactor.RedactText(value.ToString() ?? "")));
                }
            }

            var redacted = exception is null ? null : new RedactedException(exception);
            inner.Log(logLevel, eventId, new RedactedState(message, values), redacted, static (s, _) => s.Message);
        }
    }

    /// <summary>A log entry's values after redaction; formats as the redacted message.</summary>
    private sealed class RedactedState(string message, List<KeyValuePair<string, object?>> values) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message { get; } = message;

        public int Count => values.Count;

        public KeyValuePair<string, object?> this[int index] => values[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => Message;
    }

    /// <summary>An exception as logged: its type, message and stack, with secrets masked.</summary>
    private sealed class RedactedException(Exception original)
        : Exception($"{original.GetType().FullName}: {SecretRedactor.RedactText(original.Message)}",
            original.InnerException is null ? null : new RedactedException(original.InnerException))
    {
        public override string? StackTrace { get; } = original.StackTrace is null ? null : SecretRedactor.RedactText(original.StackTrace);
    }
}
