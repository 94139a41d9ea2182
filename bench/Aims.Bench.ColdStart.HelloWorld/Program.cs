using System.Net;

// Hello world on the custom handler's port: what any ASP.NET Core handler pays before its own start-up work.
var builder = WebApplication.CreateSlimBuilder(args);
var port = int.Parse(Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT") ?? "7071", System.Globalization.CultureInfo.InvariantCulture);
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
builder.Logging.ClearProviders();
var app = builder.Build();
app.MapGet("/", () => "hello");
app.Run();
