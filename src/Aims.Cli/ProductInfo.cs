namespace Aims.Cli;

/// <summary>The product version written into bundles and items.</summary>
internal static class ProductInfo
{
    public static string Version => Evidence.ProductVersion.Current;
}
