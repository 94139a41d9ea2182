using System.Diagnostics.CodeAnalysis;

namespace Aims.Collectors.GitHub;

/// <summary>A repository as <c>owner/name</c>, validated so it is safe to put in a URL path.</summary>
public sealed record RepositoryName(string Owner, string Name)
{
    public string FullName => $"{Owner}/{Name}";

    /// <summary>The API path of the repository (<c>repos/owner/name</c>), relative to the API root.</summary>
    public string ApiPath => $"repos/{Owner}/{Name}";

    public override string ToString() => FullName;

    public static bool TryParse(string? text, [NotNullWhen(true)] out RepositoryName? name)
    {
        name = null;
        var parts = (text ?? "").Trim().Split('/');
        if (parts.Length != 2 || !IsSegment(parts[0]) || !IsSegment(parts[1]) || parts[1] is "." or "..")
        {
            return false;
        }

        name = new RepositoryName(parts[0], parts[1]);
        return true;
    }

    // GitHub owner and repository names use letters, digits, '-', '_' and '.'.
    private static bool IsSegment(string s) =>
        s.Length is > 0 and <= 100 && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
