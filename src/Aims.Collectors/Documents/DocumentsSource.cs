using Aims.Collectors.Sources;
using Aims.Evidence;
using Aims.Evidence.Collection;
using Aims.Evidence.Gaps;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Aims.Collectors.Documents;

/// <summary>
/// <c>Aims:Sources:Documents</c>: <c>Path</c> (a folder, relative to the configuration file) holding governed documents.
/// </summary>
public sealed class DocumentsSource : IEvidenceSource
{
    public string Name => "Documents";

    public string Family => "documents";

    public SourceState Describe(IConfigurationSection section) =>
        string.IsNullOrWhiteSpace(section["Path"])
            ? new SourceState(Family, Name, false, $"set {section.Path}:Path to a folder of documents")
            : new SourceState(Family, Name, true, $"folder {section["Path"]}");

    public IEvidenceCollector Create(IConfigurationSection section, SourceContext context)
    {
        var path = section["Path"];
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InvalidSettingException($"{section.Path}:Path", "is required: the folder that holds the governed documents.");
        }

        if (path.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            throw new InvalidSettingException($"{section.Path}:Path", $"'{path}' is not a valid path.");
        }

        var root = context.ResolvePath(path);
        if (File.Exists(root))
        {
            throw new InvalidSettingException($"{section.Path}:Path", $"'{root}' is a file; it must be a folder.");
        }

        return new DocumentsCollector(new FolderDocumentFiles(root), Name, path, context.Loggers.CreateLogger<DocumentsCollector>());
    }
}
