namespace Aims.Collectors.Microsoft.Settings;

/// <summary>The transport Microsoft collectors use when the host gives none: one pooled handler per process.</summary>
internal static class SharedHandler
{
    private static readonly Lazy<HttpMessageHandler> Handler = new(() => new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = System.Net.DecompressionMethods.All,
    });

    public static HttpMessageHandler Get(HttpMessageHandler? fromHost) => fromHost ?? Handler.Value;
}
