using System.Reflection;

namespace Aims.Evidence;

/// <summary>The product's version (from the build), as items, bundles and User-Agent headers carry it.</summary>
public static class ProductVersion
{
    public static string Current { get; } =
        (typeof(ProductVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];
}
