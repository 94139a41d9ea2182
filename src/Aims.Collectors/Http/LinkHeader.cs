namespace Aims.Collectors.Http;

/// <summary>Reads RFC 8288 <c>Link</c> headers as paging REST APIs (GitHub, Jira Cloud's some endpoints) send them.</summary>
public static class LinkHeader
{
    /// <summary>The target of the link whose <c>rel</c> includes <paramref name="relation"/>, resolved against <paramref name="requestUrl"/>; null when absent.</summary>
    public static Uri? Find(string? header, string relation, Uri requestUrl)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        foreach (var link in SplitLinks(header))
        {
            var open = link.IndexOf('<');
            var close = link.IndexOf('>', open + 1);
            if (open < 0 || close < 0)
            {
                continue;
            }

            var target = link[(open + 1)..close].Trim();
            foreach (var parameter in link[(close + 1)..].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var eq = parameter.IndexOf('=');
                if (eq < 0 || !parameter[..eq].Trim().Equals("rel", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                // rel may list several relations: rel="next last".
                var values = parameter[(eq + 1)..].Trim().Trim('"').Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (values.Contains(relation, StringComparer.OrdinalIgnoreCase) && Uri.TryCreate(requestUrl, target, out var uri))
                {
                    return uri;
                }
            }
        }

        return null;
    }

    /// <summary>The <c>rel="next"</c> link, or null on the last page.</summary>
    public static Uri? FindNext(string? header, Uri requestUrl) => Find(header, "next", requestUrl);

    // Commas separate links but may also appear inside <...>; split only outside angle brackets.
    private static IEnumerable<string> SplitLinks(string header)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < header.Length; i++)
        {
            switch (header[i])
            {
                case '<':
                    depth++;
                    break;
                case '>':
                    depth = Math.Max(0, depth - 1);
                    break;
                case ',' when depth == 0:
                    yield return header[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return header[start..];
    }
}
