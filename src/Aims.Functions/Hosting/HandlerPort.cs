using System.Globalization;
using Aims.Evidence;

namespace Aims.Functions.Hosting;

/// <summary>The loopback port the Functions host tells the handler to listen on.</summary>
public static class HandlerPort
{
    public static int Read(IConfiguration configuration)
    {
        var text = configuration[AppSettingNames.CustomHandlerPort];
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new InvalidSettingException(AppSettingNames.CustomHandlerPort,
                "is not set. The Functions host sets it when it starts the custom handler; to run the handler by hand, set it to a free port (e.g. 7071).");
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new InvalidSettingException(AppSettingNames.CustomHandlerPort, $"'{text}' is not a TCP port (1-65535).");
        }

        return port;
    }
}
