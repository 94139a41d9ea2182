using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Aims.Evidence.Requirements;

/// <summary>
/// Loads YAML and turns every way YamlDotNet can fail into one <see cref="YamlTextException"/> with a line and
/// column: besides <see cref="YamlException"/> it throws <see cref="InvalidOperationException"/> (e.g. an unclosed
/// <c>[</c>) and <see cref="ArgumentException"/> (a key given twice) on some malformed input.
/// </summary>
public static class YamlText
{
    public static YamlStream Load(TextReader text)
    {
        var parser = new Parser(text);
        var stream = new YamlStream();
        try
        {
            stream.Load(parser);
            return stream;
        }
        catch (YamlException ex)
        {
            throw new YamlTextException((int)ex.Start.Line, (int)ex.Start.Column, ex.InnerException?.Message ?? ex.Message, ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            var at = parser.Current?.Start ?? Mark.Empty;
            var reason = ex is ArgumentException ? "a key is given twice" : "the YAML structure is not closed or not complete (check brackets, quotes and indentation)";
            throw new YamlTextException(Math.Max(1, (int)at.Line), Math.Max(1, (int)at.Column), reason, ex);
        }
    }
}

/// <summary>YAML that could not be read, with where the reader stopped (1-based line and column).</summary>
public sealed class YamlTextException(int line, int column, string reason, Exception inner) : Exception($"line {line}, column {column}: not valid YAML ({reason})", inner)
{
    public int Line { get; } = line;

    public int Column { get; } = column;

    public string Reason { get; } = reason;
}
