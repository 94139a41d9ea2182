using YamlDotNet.RepresentationModel;

namespace Aims.Evidence.Requirements;

/// <summary>Small helpers over YamlDotNet's representation model that keep file/line for every error.</summary>
public sealed class YamlReader(string file)
{
    public string File { get; } = file;

    public YamlMappingNode LoadRoot(TextReader text)
    {
        YamlStream stream;
        try
        {
            stream = YamlText.Load(text);
        }
        catch (YamlTextException ex)
        {
            throw new RequirementsException(new SourceLocation(File, ex.Line, ex.Column), $"not valid YAML: {ex.Reason}");
        }

        if (stream.Documents.Count == 0)
        {
            throw new RequirementsException(new SourceLocation(File, 1, 1), "the file is empty.");
        }

        return stream.Documents[0].RootNode as YamlMappingNode
            ?? throw Error(stream.Documents[0].RootNode, "the top level must be a mapping (key: value).");
    }

    public SourceLocation At(YamlNode node) => new(File, (int)node.Start.Line, (int)node.Start.Column);

    public RequirementsException Error(YamlNode node, string reason) => new(At(node), reason);

    public YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.FirstOrDefault(p => p.Key is YamlScalarNode s && string.Equals(s.Value, key, StringComparison.OrdinalIgnoreCase)).Value;

    public string? Scalar(YamlMappingNode map, string key, bool required = false)
    {
        var node = Child(map, key);
        if (node is null)
        {
            return required ? throw Error(map, $"'{key}' is required.") : null;
        }

        if (node is not YamlScalarNode s)
        {
            throw Error(node, $"'{key}' must be a single value.");
        }

        if (required && string.IsNullOrWhiteSpace(s.Value))
        {
            throw Error(node, $"'{key}' must not be empty.");
        }

        return s.Value;
    }

    /// <summary>A list of scalars; a single scalar is read as a one-element list.</summary>
    public IReadOnlyList<(string Value, YamlNode Node)> List(YamlMappingNode map, string key, bool required = false)
    {
        var node = Child(map, key);
        switch (node)
        {
            case null when required:
                throw Error(map, $"'{key}' is required.");
            case null:
                return [];
            case YamlScalarNode s:
                return [(s.Value ?? "", s)];
            case YamlSequenceNode seq:
                var list = new List<(string, YamlNode)>();
                foreach (var e in seq)
                {
                    list.Add(e is YamlScalarNode es ? (es.Value ?? "", es) : throw Error(e, $"each entry of '{key}' must be a single value."));
                }

                if (required && list.Count == 0)
                {
                    throw Error(node, $"'{key}' must list at least one value.");
                }

                return list;
            default:
                throw Error(node, $"'{key}' must be a list.");
        }
    }

    public YamlMappingNode? Mapping(YamlMappingNode map, string key) => Child(map, key) switch
    {
        null => null,
        YamlMappingNode m => m,
        var other => throw Error(other, $"'{key}' must be a mapping (key: value)."),
    };

    public IEnumerable<YamlMappingNode> Sequence(YamlMappingNode map, string key)
    {
        switch (Child(map, key))
        {
            case null:
                yield break;
            case YamlSequenceNode seq:
                foreach (var e in seq)
                {
                    yield return e as YamlMappingNode ?? throw Error(e, $"each entry of '{key}' must be a mapping.");
                }

                break;
            case var other:
                throw Error(other, $"'{key}' must be a list.");
        }
    }

    public void RejectUnknownKeys(YamlMappingNode map, params string[] allowed)
    {
        foreach (var key in map.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            if (!allowed.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                throw Error(key, $"unknown field '{name}' (expected one of: {string.Join(", ", allowed)}).");
            }
        }
    }
}
