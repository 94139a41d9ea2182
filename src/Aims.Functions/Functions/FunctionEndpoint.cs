using Aims.Evidence;
using Aims.Functions.Hosting;
using Aims.Functions.Invocation;

namespace Aims.Functions.Functions;

/// <summary>Maps one non-HTTP function: <c>POST /{FunctionName}</c> with the host's invocation payload.</summary>
internal static partial class FunctionEndpoint
{
    public delegate Task<InvocationResult> Handler(FunctionsRuntime runtime, InvocationRequest invocation, InvocationLog log, CancellationToken cancellationToken);

    public static IEndpointConventionBuilder MapFunction(this IEndpointRouteBuilder app, string functionName, Handler handler) =>
        app.MapPost("/" + functionName, async (HttpContext http, FunctionsRuntime runtime, ILoggerFactory loggers) =>
        {
            var logger = loggers.CreateLogger("Aims.Functions." + functionName);
            var cancellationToken = http.RequestAborted;
            InvocationRequest invocation;
            try
            {
                invocation = await InvocationRequest.ReadAsync(http.Request, functionName, cancellationToken).ConfigureAwait(false);
            }
            catch (FormatException ex)
            {
                LogBadInvocation(logger, functionName, ex.Message);
                await new InvocationResult(StatusCodes.Status400BadRequest, [], [ex.Message], ex.Message).WriteAsync(http.Response, cancellationToken).ConfigureAwait(false);
                return;
            }

            var log = new InvocationLog(logger, functionName, invocation.InvocationId);
            InvocationResult result;
            try
            {
                result = await handler(runtime, invocation, log, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Unexpected: fail the invocation so the host records it (and retries a queue message).
                var message = ex is InvalidSettingException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
                log.Error(message);
                result = new InvocationResult(StatusCodes.Status500InternalServerError, [], log.Lines, message);
            }

            await result.WriteAsync(http.Response, cancellationToken).ConfigureAwait(false);
        });

    [LoggerMessage(EventId = 4010, Level = LogLevel.Error, Message = "{Function}: the host sent an unreadable invocation: {Reason}")]
    private static partial void LogBadInvocation(ILogger logger, string function, string reason);
}
