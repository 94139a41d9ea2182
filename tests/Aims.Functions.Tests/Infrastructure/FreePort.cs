using System.Net;
using System.Net.Sockets;

namespace Aims.Functions.Tests.Infrastructure;

/// <summary>A loopback port nobody listens on right now (the host hands the handler such a port).</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
