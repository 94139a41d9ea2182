namespace Aims.Functions.Functions;

/// <summary><c>GET /</c>: the host polls it after starting the handler; any answer means ready, so it does no work.</summary>
public static class ReadinessEndpoint
{
    public static IEndpointConventionBuilder MapReadiness(this IEndpointRouteBuilder app) =>
        app.MapGet("/", () => Results.Text("AIMS Evidence Functions handler: ready\n"));
}
