namespace Aims.Storage.Azure;

/// <summary>Wire-level constants shared by the Blob and Queue clients.</summary>
internal static class StorageConstants
{
    /// <summary>The REST API version every request pins (Azurite 3.37 accepts it).</summary>
    public const string ServiceVersion = "2025-11-05";

    /// <summary>The audience of Entra ID tokens for Blob and Queue storage.</summary>
    public const string TokenScope = "https://storage.azure.com/.default";

    public const string VersionHeader = "x-ms-version";
    public const string DateHeader = "x-ms-date";
    public const string ErrorCodeHeader = "x-ms-error-code";
    public const string HeaderPrefix = "x-ms-";
    public const string MetadataPrefix = "x-ms-meta-";

    /// <summary>Azurite's well-known development account.</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";

    /// <summary>Azurite's well-known development key (public, documented; not a secret).</summary>
    public const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public static readonly Uri DevelopmentBlobEndpoint = new("http://127.0.0.1:10000/devstoreaccount1");
    public static readonly Uri DevelopmentQueueEndpoint = new("http://127.0.0.1:10001/devstoreaccount1");
}
