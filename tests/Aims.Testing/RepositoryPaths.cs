namespace Aims.Testing;

/// <summary>Finds files of the repository (samples, package.json) from a test's output folder.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>Copies the Contoso sample organization into <paramref name="target"/> so a test may change it.</summary>
    public static string CopySample(string target)
    {
        var source = Combine("samples", "contoso");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return Path.Combine(target, "aims.json");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Aims.Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Could not find the repository root (Aims.Functions.sln) above {AppContext.BaseDirectory}.");
    }
}
