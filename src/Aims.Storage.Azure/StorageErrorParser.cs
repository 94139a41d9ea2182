using System.Xml;
using Azure;
using Azure.Core;

namespace Aims.Storage.Azure;

/// <summary>
/// Turns a failed storage response into <see cref="RequestFailedException"/> details: the error code from
/// <c>x-ms-error-code</c> (HEAD responses have no body), the message from the XML body when there is one.
/// </summary>
internal sealed class StorageErrorParser : RequestFailedDetailsParser
{
    public static StorageErrorParser Instance { get; } = new();

    public override bool TryParse(Response response, out ResponseError? error, out IDictionary<string, string>? data)
    {
        data = null;
        response.Headers.TryGetValue(StorageConstants.ErrorCodeHeader, out var code);
        string? message = null;
        if (response.ContentStream is MemoryStream { Length: > 0 } body)
        {
            var position = body.Position;
            try
            {
                body.Position = 0;
                using var reader = XmlReader.Create(body, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, CloseInput = false });
                while (reader.Read())
                {
                    if (reader.NodeType != XmlNodeType.Element)
                    {
                        continue;
                    }

                    if (reader.LocalName == "Code")
                    {
                        code ??= reader.ReadElementContentAsString();
                    }

                    if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Message")
                    {
                        // The service appends RequestId/Time lines; the first line is the explanation.
                        message = reader.ReadElementContentAsString().Split('\n', 2)[0].Trim();
                    }
                }
            }
            catch (XmlException)
            {
                // Not an XML error document: the code header (if any) is all there is.
            }
            finally
            {
                body.Position = position;
            }
        }

        error = code is null && message is null ? null : new ResponseError(code, message ?? response.ReasonPhrase);
        return error is not null;
    }
}
