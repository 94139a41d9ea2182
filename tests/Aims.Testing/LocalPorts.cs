using System.Net;
using System.Net.Sockets;

namespace Aims.Testing;

/// <summary>Ports on 127.0.0.1 for tests of unreachable services.</summary>
public static class LocalPorts
{
    /// <summary>A port nothing listens on: taken from the OS, then released.</summary>
    public static int Closed()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
