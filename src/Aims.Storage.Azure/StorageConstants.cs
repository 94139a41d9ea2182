namespace Aims.Storage.Azure;

/// <summary>Constants shared by the Blob, Queue and Table clients.</summary>
internal static class StorageConstants
{
    /// <summary>The audience of Entra ID tokens for Blob, Queue and Table storage.</summary>
    public const string TokenScope = "https://storage.azure.com/.default";

    /// <summary>Azurite's well-known development account.</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";

    public static readonly Uri DevelopmentBlobEndpoint = new("http://127.0.0.1:10000/devstoreaccount1");
    public static readonly Uri DevelopmentQueueEndpoint = new("http://127.0.0.1:10001/devstoreaccount1");
    public static readonly Uri DevelopmentTableEndpoint = new("http://127.0.0.1:10002/devstoreaccount1");
}
