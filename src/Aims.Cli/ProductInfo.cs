using System.Reflection;

namespace Aims.Cli;

/// <summary>The product version written into bundles and items.</summary>
internal static class ProductInfo
{
    public static string Version { get; } =
        typeof(ProductInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
