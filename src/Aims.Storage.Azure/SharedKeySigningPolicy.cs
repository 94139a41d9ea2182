using System.Globalization;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Aims.Storage.Azure;

/// <summary>
/// Signs each attempt of a request with the account key (SharedKey). It sits among the per-retry policies,
/// so every retry gets a fresh <c>x-ms-date</c> and a signature over the headers that attempt really sends.
/// </summary>
internal sealed class SharedKeySigningPolicy(StorageSharedKeyCredential credential, TimeProvider time) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        request.Headers.SetValue(StorageConstants.DateHeader, time.GetUtcNow().ToString("r", CultureInfo.InvariantCulture));
        var signature = credential.ComputeSignature(BuildStringToSign(request, credential.AccountName));
        request.Headers.SetValue(HttpHeader.Names.Authorization, $"SharedKey {credential.AccountName}:{signature}");
    }

    /// <summary>The SharedKey string to sign for Blob and Queue (API versions 2009-09-19 and later).</summary>
    internal static string BuildStringToSign(Request request, string accountName)
    {
        string Header(string name) => request.Headers.TryGetValue(name, out var value) ? value : "";

        var length = request.Content is not null && request.Content.TryComputeLength(out var n) && n > 0
            ? n.ToString(CultureInfo.InvariantCulture)
            : "";
        var builder = new StringBuilder(256);
        builder.Append(request.Method.Method.ToUpperInvariant()).Append('\n')
            .Append(Header("Content-Encoding")).Append('\n')
            .Append(Header("Content-Language")).Append('\n')
            .Append(length).Append('\n')
            .Append(Header("Content-MD5")).Append('\n')
            .Append(Header("Content-Type")).Append('\n')
            .Append('\n') // Date: empty because x-ms-date is sent.
            .Append(Header("If-Modified-Since")).Append('\n')
            .Append(Header("If-Match")).Append('\n')
            .Append(Header("If-None-Match")).Append('\n')
            .Append(Header("If-Unmodified-Since")).Append('\n')
            .Append(Header("Range")).Append('\n');
        AppendCanonicalizedHeaders(builder, request);
        AppendCanonicalizedResource(builder, request.Uri.ToUri(), accountName);
        return builder.ToString();
    }

    private static void AppendCanonicalizedHeaders(StringBuilder builder, Request request)
    {
        var headers = new List<(string Name, string Value)>();
        foreach (var header in request.Headers)
        {
            if (header.Name.StartsWith(StorageConstants.HeaderPrefix, StringComparison.OrdinalIgnoreCase))
            {
                headers.Add((header.Name.ToLowerInvariant(), header.Value.Trim()));
            }
        }

        foreach (var (name, value) in headers.OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            builder.Append(name).Append(':').Append(value).Append('\n');
        }
    }

    private static void AppendCanonicalizedResource(StringBuilder builder, Uri uri, string accountName)
    {
        // The path exactly as sent (escaped); with path-style URLs (Azurite) it already starts with the account.
        builder.Append('/').Append(accountName).Append(uri.AbsolutePath.Length > 0 ? uri.AbsolutePath : "/");
        var query = uri.Query.TrimStart('?');
        if (query.Length == 0)
        {
            return;
        }

        var parameters = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]).ToLowerInvariant();
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            if (!parameters.TryGetValue(name, out var values))
            {
                parameters[name] = values = [];
            }

            values.Add(value);
        }

        foreach (var (name, values) in parameters)
        {
            builder.Append('\n').Append(name).Append(':').Append(string.Join(',', values.Order(StringComparer.Ordinal)));
        }
    }
}
