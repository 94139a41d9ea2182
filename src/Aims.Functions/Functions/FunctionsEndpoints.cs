namespace Aims.Functions.Functions;

/// <summary>Every route of the handler: readiness, one per function.</summary>
public static class FunctionsEndpoints
{
    public static WebApplication MapAimsFunctions(this WebApplication app)
    {
        app.MapReadiness();
        app.MapScheduleCollection();
        app.MapCollectEvidence();
        app.MapProcessPoison();
        app.MapAnalyzeGaps();
        app.MapBundlesApi();
        return app;
    }
}
