using Aims.Evidence;
using Aims.Functions.Functions;
using Aims.Functions.Hosting;

// The Azure Functions custom handler: the host owns triggers and bindings and POSTs each invocation here.
try
{
    var builder = WebApplication.CreateSlimBuilder(args);
    builder.AddAimsFunctions();
    var app = builder.BuildAimsFunctions();
    app.MapAimsFunctions();
    await app.RunAsync();
    return 0;
}
catch (InvalidSettingException ex)
{
    // The host shows the worker's standard error: name the setting, no stack trace.
    await Console.Error.WriteLineAsync($"aims-functions: {ex.Message}");
    return 2;
}
