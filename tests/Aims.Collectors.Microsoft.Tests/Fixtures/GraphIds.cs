namespace Aims.Collectors.Microsoft.Tests.Fixtures;

/// <summary>Ids of the fake Contoso tenant the Graph fixtures describe.</summary>
public static class GraphIds
{
    public const string Tenant = "5a1c3e9b-7d24-4f6a-8b3c-2e1d0f9a8b7c";
    public const string OtherTenant = "c0ffee00-1234-4abc-9def-0123456789ab";
    public const string MicrosoftTenant = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";

    public const string GovernanceGroup = "02bd9fd6-8f93-4758-87c3-1fb73740a315";
    public const string UnrelatedGroup = "b320ee12-b1cd-4cca-b648-a437be61c5cd";

    public const string Adele = "87d349ed-44d7-43e1-9a83-5f2406dee5bd";
    public const string Alex = "6e7b768e-07e2-4810-8459-485f84f8f204";
    public const string Diego = "04777c4b-4d43-4d32-a2e7-1eba5d03f8cf";
    public const string Johanna = "11feb738-0039-4a6c-a045-dcb91a47969a";
    public const string Megan = "1800bb2c-955d-4205-8471-3a6c3116435d";
    public const string Nestor = "8afc02cb-4d62-4dba-b536-9f6d73e9be26";

    // The fraud model's own app (registered here, tagged ai-system).
    public const string FraudAppId = "3b8f0d2e-6c1a-4f5e-9a7b-2d4c6e8f0a1b";
    public const string FraudSp = "9d3f1c2b-4a5e-4b6c-8d7e-0f1a2b3c4d5e";
    public const string FraudApplication = "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b";

    // A vendor's multi-tenant AI assistant (configured by appId, registered in the vendor's tenant).
    public const string VendorAppId = "6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";
    public const string VendorSp = "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f";

    // Microsoft Graph itself (first party, the resource of most grants) and an unconsented first-party app.
    public const string GraphSp = "e5c1a2b3-d4e5-4f60-8a1b-2c3d4e5f6a7b";
    public const string GraphAppId = "00000003-0000-0000-c000-000000000000";
    public const string TeamsSp = "f6d2b3c4-e5f6-4071-9b2c-3d4e5f6a7b8c";

    // An internal app that is neither AI nor third party.
    public const string PayrollSp = "a7e3c4d5-f6a7-4182-8c3d-4e5f6a7b8c9d";

    public const string GlobalAdministrator = "62e90394-69f5-4237-9190-012177145e10";
    public const string AiAdministrator = "d2562ede-74db-457e-a7b6-544e236ebb61";

    public const string ReviewDefinition = "2dca8959-b716-4b4c-a93d-a535c01eb6e0";
    public const string ReviewInstance = "8d035c9d-798d-47fa-beb4-f986a4b8126f";
    public const string OldReviewInstance = "1a2b3c4d-5e6f-4071-8293-a4b5c6d7e8f9";
    public const string UnrelatedReviewDefinition = "5eac5a70-7cd7-4f20-92b0-f9dba70dd7f0";

    public const string MfaPolicy = "5f9a2c1b-8e3d-4a7f-b6c5-d4e3f2a1b0c9";
    public const string VendorBlockPolicy = "7b1c2d3e-4f5a-4b6c-8d9e-0a1b2c3d4e5f";
    public const string ReportOnlyPolicy = "8c2d3e4f-5a6b-4c7d-9e0f-1b2c3d4e5f6a";
}
