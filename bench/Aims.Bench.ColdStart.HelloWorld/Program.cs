using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// Hello world on the isolated worker: what any isolated app pays before its own start-up work.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
await builder.Build().RunAsync();

/// <summary>The one function: answers "hello".</summary>
public static class Hello
{
    [Function("Hello")]
    public static IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request) => Results.Text("hello");
}
