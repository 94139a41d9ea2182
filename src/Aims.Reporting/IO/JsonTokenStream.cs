using System.Text.Json;
using System.Text.Json.Nodes;

namespace Aims.Reporting.IO;

/// <summary>
/// Reads JSON one token at a time from a stream, through a buffer that only grows to hold the longest single token.
/// The bundle's manifest lists every file: at 100,000 files it is tens of megabytes, which a <see cref="JsonDocument"/>
/// held whole (and its pooled copies after it); read this way it costs a buffer, and the file list is handed on entry by
/// entry. Malformed JSON is a <see cref="JsonException"/>, as from the document.
/// </summary>
internal sealed class JsonTokenStream(Stream input, int maxTokenBytes = 64 * 1024 * 1024)
{
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _final;
    private JsonReaderState _state;

    public JsonTokenType TokenType { get; private set; }

    /// <summary>A string or property name's value; a number's text as written; else null.</summary>
    public string? Text { get; private set; }

    /// <summary>Moves to the next token; false at the end of the document.</summary>
    public bool Read()
    {
        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
            var read = reader.Read();
            if (read)
            {
                TokenType = reader.TokenType;
                Text = reader.TokenType switch
                {
                    JsonTokenType.String or JsonTokenType.PropertyName => reader.GetString(),
                    JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
                    _ => null,
                };
            }

            _start += (int)reader.BytesConsumed;
            _state = reader.CurrentState;
            if (read)
            {
                return true;
            }

            if (_final)
            {
                return false;
            }

            Refill();
        }
    }

    /// <summary>Reads the next token, which must be of <paramref name="expected"/> type.</summary>
    public void Expect(JsonTokenType expected, string what)
    {
        if (!Read() || TokenType != expected)
        {
            throw new FormatException($"{what} is not a JSON {Name(expected)}.");
        }
    }

    /// <summary>The value starting at the next token, built as a node (for the small parts of a document).</summary>
    public JsonNode? ReadNode()
    {
        if (!Read())
        {
            throw new JsonException("The JSON ended where a value was expected.");
        }

        return Current();

        JsonNode? Current()
        {
            switch (TokenType)
            {
                case JsonTokenType.StartObject:
                    var obj = new JsonObject();
                    while (Read() && TokenType == JsonTokenType.PropertyName)
                    {
                        var name = Text!;
                        obj[name] = ReadNode();
                    }

                    return obj;
                case JsonTokenType.StartArray:
                    var array = new JsonArray();
                    while (Read() && TokenType != JsonTokenType.EndArray)
                    {
                        array.Add(Current());
                    }

                    return array;
                case JsonTokenType.String:
                    return JsonValue.Create(Text);
                case JsonTokenType.Number:
                    return JsonNode.Parse(Text!);
                case JsonTokenType.True:
                    return JsonValue.Create(true);
                case JsonTokenType.False:
                    return JsonValue.Create(false);
                case JsonTokenType.Null:
                    return null;
                default:
                    throw new JsonException($"Unexpected JSON token {TokenType}.");
            }
        }
    }

    /// <summary>Skips the value starting at the next token.</summary>
    public void SkipValue() => ReadNode();

    private static string Name(JsonTokenType type) => type switch
    {
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        _ => type.ToString(),
    };

    private void Refill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= maxTokenBytes)
            {
                throw new JsonException($"A single JSON token is longer than {maxTokenBytes} bytes.");
            }

            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, maxTokenBytes));
        }

        var read = input.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _final = true;
        }

        _end += read;
    }
}
