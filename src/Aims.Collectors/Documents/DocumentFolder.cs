namespace Aims.Collectors.Documents;

/// <summary>
/// The documents folder on disk. Symbolic links are followed when what they point at stays inside the folder; a
/// link that leaves it is still listed, so reading it fails with a collector error naming the link instead of
/// vanishing. A folder link that points back above itself is not walked again, so a loop ends.
/// </summary>
public sealed class DocumentFolder(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>Every file below the root, relative with '/' separators; hidden files and folders are left out.</summary>
    public IEnumerable<string> EnumerateFiles()
    {
        var rootReal = RealPath(Root);
        var pending = new Stack<(string Folder, string[] Ancestors)>();
        pending.Push((Root, [rootReal]));
        while (pending.Count > 0)
        {
            var (folder, ancestors) = pending.Pop();
            foreach (var entry in Directory.EnumerateFileSystemEntries(folder, "*", new EnumerationOptions { IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden }))
            {
                if (Path.GetFileName(entry).StartsWith('.'))
                {
                    continue;
                }

                var relative = Path.GetRelativePath(Root, entry).Replace(Path.DirectorySeparatorChar, '/');
                if (Directory.Exists(entry))
                {
                    var real = RealPath(entry);
                    if (!IsInside(rootReal, real))
                    {
                        // A folder link leaving the root is reported through a name that Resolve refuses.
                        yield return relative;
                    }
                    else if (!ancestors.Contains(real, StringComparer.Ordinal))
                    {
                        // A link back to a folder above it would loop; any other folder is walked under each of its names.
                        pending.Push((entry, [.. ancestors, real]));
                    }

                    continue;
                }

                yield return relative;
            }
        }
    }

    /// <summary>Maps a relative path (from a job message) to a file inside the root, refusing anything that leaves it, through links too.</summary>
    public string Resolve(string relative)
    {
        if (Path.IsPathRooted(relative) || relative.Split('/', '\\').Any(p => p is ".." or ""))
        {
            throw new ArgumentException($"'{relative}' is not a relative path inside the documents folder.");
        }

        var full = Path.GetFullPath(Path.Combine(Root, relative));
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{relative}' leaves the documents folder.");
        }

        if (!IsInside(RealPath(Root), RealPath(full)))
        {
            throw new ArgumentException($"'{relative}' is a symbolic link (or lies below one) that points outside the documents folder; it is not read.");
        }

        if (Directory.Exists(full))
        {
            throw new ArgumentException($"'{relative}' is a folder, not a document.");
        }

        return full;
    }

    private static bool IsInside(string rootReal, string real) =>
        real == rootReal || real.StartsWith(rootReal + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>The path with every symbolic link along it resolved (what realpath(3) returns, for paths that exist).</summary>
    private static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var current = root;
        var parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(current, parts[i]);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                next = target is null ? next : RealPath(target.FullName);
            }

            current = next;
        }

        return current;
    }
}
