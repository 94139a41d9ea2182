using System.Reflection;

namespace Aims.Pipeline.Hosting;

/// <summary>The product version both shells stamp on items and bundles (the build's informational version, without the commit).</summary>
public static class ProductVersion
{
    public static string Current { get; } =
        typeof(ProductVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
