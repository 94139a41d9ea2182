using System.Xml;

namespace Aims.Storage.Azure;

/// <summary>Small helpers for reading the service's XML responses forward-only with <see cref="XmlReader"/>.</summary>
internal static class XmlElementReader
{
    private static readonly XmlReaderSettings Settings = new()
    {
        Async = true,
        IgnoreWhitespace = true,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        CloseInput = false,
    };

    /// <summary>Opens a reader over a response body (a leading UTF-8 BOM is detected and skipped) positioned on the root element.</summary>
    public static async Task<XmlReader> OpenAsync(Stream stream, string expectedRoot)
    {
        var reader = XmlReader.Create(stream, Settings);
        await reader.MoveToContentAsync().ConfigureAwait(false);
        if (reader.NodeType != XmlNodeType.Element || reader.LocalName != expectedRoot)
        {
            var found = reader.NodeType == XmlNodeType.Element ? $"<{reader.LocalName}>" : "no element";
            reader.Dispose();
            throw new FormatException($"Expected an XML document with root <{expectedRoot}>, found {found}.");
        }

        return reader;
    }

    /// <summary>
    /// Visits the child elements of the element the reader is on. <paramref name="onChild"/> must consume the
    /// whole child (read its content or skip it). Leaves the reader after the parent's end tag.
    /// </summary>
    public static async Task ReadChildrenAsync(XmlReader reader, Func<XmlReader, Task> onChild)
    {
        if (reader.IsEmptyElement)
        {
            await reader.ReadAsync().ConfigureAwait(false);
            return;
        }

        var depth = reader.Depth;
        await reader.ReadAsync().ConfigureAwait(false);
        while (!reader.EOF && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.NodeType == XmlNodeType.Element)
            {
                await onChild(reader).ConfigureAwait(false);
            }
            else
            {
                await reader.ReadAsync().ConfigureAwait(false);
            }
        }

        await reader.ReadAsync().ConfigureAwait(false);
    }

    /// <summary>Reads the text of the current element and moves past it.</summary>
    public static Task<string> ReadTextAsync(XmlReader reader) => reader.ReadElementContentAsStringAsync();
}
