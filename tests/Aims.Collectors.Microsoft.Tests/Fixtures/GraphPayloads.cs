namespace Aims.Collectors.Microsoft.Tests.Fixtures;

/// <summary>
/// Graph v1.0 responses shaped like the API reference's examples (written for the fake Contoso tenant).
/// <c>{root}</c> is replaced by the fake server's root, so nextLinks point back at it.
/// </summary>
public static class GraphPayloads
{
    public const string GovernanceGroup = """
        {
          "@odata.context": "{root}/v1.0/$metadata#groups(id,displayName,description,securityEnabled,mailEnabled,isAssignableToRole,groupTypes,membershipRule)/$entity",
          "id": "02bd9fd6-8f93-4758-87c3-1fb73740a315",
          "displayName": "AI Governance Board",
          "description": "Approves AI systems before release",
          "securityEnabled": true,
          "mailEnabled": false,
          "isAssignableToRole": false,
          "groupTypes": [],
          "membershipRule": null
        }
        """;

    /// <summary>Members over three pages linked by <c>@odata.nextLink</c> (<c>$skiptoken</c> 2 and 3).</summary>
    public static string MembersPage(int page) => page switch
    {
        1 => """
            {
              "@odata.context": "{root}/v1.0/$metadata#directoryObjects(id,displayName,userPrincipalName,mail,accountEnabled,userType,appId)",
              "@odata.nextLink": "{root}/v1.0/groups/02bd9fd6-8f93-4758-87c3-1fb73740a315/members?$select=id,displayName,userPrincipalName&$top=2&$skiptoken=2",
              "value": [
                { "@odata.type": "#microsoft.graph.user", "id": "87d349ed-44d7-43e1-9a83-5f2406dee5bd", "displayName": "Adele Vance", "userPrincipalName": "AdeleV@contoso.com", "mail": "AdeleV@contoso.com", "accountEnabled": true, "userType": "Member" },
                { "@odata.type": "#microsoft.graph.user", "id": "6e7b768e-07e2-4810-8459-485f84f8f204", "displayName": "Alex Wilber", "userPrincipalName": "AlexW@contoso.com", "mail": "AlexW@contoso.com", "accountEnabled": true, "userType": "Member" }
              ]
            }
            """,
        2 => """
            {
              "@odata.nextLink": "{root}/v1.0/groups/02bd9fd6-8f93-4758-87c3-1fb73740a315/members?$select=id,displayName,userPrincipalName&$top=2&$skiptoken=3",
              "value": [
                { "@odata.type": "#microsoft.graph.user", "id": "04777c4b-4d43-4d32-a2e7-1eba5d03f8cf", "displayName": "Diego Siciliani", "userPrincipalName": "DiegoS@contoso.com", "accountEnabled": false, "userType": "Member" },
                { "@odata.type": "#microsoft.graph.group", "id": "b320ee12-b1cd-4cca-b648-a437be61c5cd", "displayName": "Model Risk Reviewers" }
              ]
            }
            """,
        _ => """
            {
              "value": [
                { "@odata.type": "#microsoft.graph.user", "id": "11feb738-0039-4a6c-a045-dcb91a47969a", "displayName": "Johanna Lorenz", "userPrincipalName": "JohannaL@contoso.com", "accountEnabled": true, "userType": "Guest" }
              ]
            }
            """,
    };

    public const string GroupOwners = """
        {
          "@odata.context": "{root}/v1.0/$metadata#directoryObjects",
          "value": [
            { "@odata.type": "#microsoft.graph.user", "id": "1800bb2c-955d-4205-8471-3a6c3116435d", "displayName": "Megan Bowen", "userPrincipalName": "MeganB@contoso.com", "accountEnabled": true, "userType": "Member" }
          ]
        }
        """;

    public const string RoleDefinitions = """
        {
          "@odata.context": "{root}/v1.0/$metadata#roleManagement/directory/roleDefinitions(id,displayName,templateId,isBuiltIn,isEnabled)",
          "value": [
            { "id": "62e90394-69f5-4237-9190-012177145e10", "displayName": "Global Administrator", "templateId": "62e90394-69f5-4237-9190-012177145e10", "isBuiltIn": true, "isEnabled": true },
            { "id": "d2562ede-74db-457e-a7b6-544e236ebb61", "displayName": "AI Administrator", "templateId": "d2562ede-74db-457e-a7b6-544e236ebb61", "isBuiltIn": true, "isEnabled": true },
            { "id": "fdd7a751-b60b-444a-984c-02652fe8fa1c", "displayName": "Groups Administrator", "templateId": "fdd7a751-b60b-444a-984c-02652fe8fa1c", "isBuiltIn": true, "isEnabled": true }
          ]
        }
        """;

    public static string RoleAssignments(string roleDefinitionId) => roleDefinitionId == GraphIds.GlobalAdministrator
        ? """
            {
              "@odata.context": "{root}/v1.0/$metadata#roleManagement/directory/roleAssignments(principal())",
              "value": [
                {
                  "id": "lAPpYvVpN0KRkAEhdxReEJC2sEqbR_9Hr48lds9SGHI-1",
                  "principalId": "87d349ed-44d7-43e1-9a83-5f2406dee5bd",
                  "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10",
                  "directoryScopeId": "/",
                  "principal": { "@odata.type": "#microsoft.graph.user", "id": "87d349ed-44d7-43e1-9a83-5f2406dee5bd", "displayName": "Adele Vance", "userPrincipalName": "AdeleV@contoso.com", "accountEnabled": true }
                }
              ]
            }
            """
        : """
            {
              "value": [
                {
                  "id": "7hdqwDIzGU-q87T2X5bl7QXjWqkc0bBJqRGJ3TWYwBE-1",
                  "principalId": "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f",
                  "roleDefinitionId": "d2562ede-74db-457e-a7b6-544e236ebb61",
                  "directoryScopeId": "/",
                  "principal": { "@odata.type": "#microsoft.graph.servicePrincipal", "id": "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f", "displayName": "Vendor Copilot", "appId": "6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0" }
                }
              ]
            }
            """;

    public static string RoleEligibility(string roleDefinitionId) => roleDefinitionId == GraphIds.GlobalAdministrator
        ? """
            {
              "@odata.context": "{root}/v1.0/$metadata#roleManagement/directory/roleEligibilitySchedules(principal())",
              "value": [
                {
                  "@odata.type": "#microsoft.graph.unifiedRoleEligibilitySchedule",
                  "id": "313af44a-07c9-43a7-9970-5072a6b5591f",
                  "principalId": "6e7b768e-07e2-4810-8459-485f84f8f204",
                  "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10",
                  "directoryScopeId": "/",
                  "appScopeId": null,
                  "createdUsing": "313af44a-07c9-43a7-9970-5072a6b5591f",
                  "createdDateTime": "2025-02-14T10:02:11.533Z",
                  "modifiedDateTime": null,
                  "status": "Provisioned",
                  "memberType": "Direct",
                  "scheduleInfo": {
                    "startDateTime": "2025-02-14T10:02:11.533Z",
                    "recurrence": null,
                    "expiration": { "type": "afterDateTime", "endDateTime": "2026-02-14T10:02:11.533Z", "duration": null }
                  },
                  "principal": { "@odata.type": "#microsoft.graph.user", "id": "6e7b768e-07e2-4810-8459-485f84f8f204", "displayName": "Alex Wilber", "userPrincipalName": "AlexW@contoso.com" }
                }
              ]
            }
            """
        : """{ "value": [] }""";

    public const string TaggedServicePrincipals = """
        {
          "@odata.context": "{root}/v1.0/$metadata#servicePrincipals(id,appId,displayName,appOwnerOrganizationId,servicePrincipalType,accountEnabled,appRoleAssignmentRequired,tags,verifiedPublisher)",
          "value": [
            {
              "id": "9d3f1c2b-4a5e-4b6c-8d7e-0f1a2b3c4d5e",
              "appId": "3b8f0d2e-6c1a-4f5e-9a7b-2d4c6e8f0a1b",
              "displayName": "Fraud Scoring Model",
              "appOwnerOrganizationId": "5a1c3e9b-7d24-4f6a-8b3c-2e1d0f9a8b7c",
              "servicePrincipalType": "Application",
              "accountEnabled": true,
              "appRoleAssignmentRequired": true,
              "tags": ["WindowsAzureActiveDirectoryIntegratedApp", "ai-system"],
              "verifiedPublisher": { "displayName": null, "verifiedPublisherId": null, "addedDateTime": null }
            }
          ]
        }
        """;

    public const string VendorServicePrincipal = """
        {
          "@odata.context": "{root}/v1.0/$metadata#servicePrincipals(id,appId,displayName,appOwnerOrganizationId,servicePrincipalType,accountEnabled,appRoleAssignmentRequired,tags,verifiedPublisher)/$entity",
          "id": "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f",
          "appId": "6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
          "displayName": "Vendor Copilot",
          "appOwnerOrganizationId": "c0ffee00-1234-4abc-9def-0123456789ab",
          "servicePrincipalType": "Application",
          "accountEnabled": true,
          "appRoleAssignmentRequired": false,
          "tags": ["WindowsAzureActiveDirectoryIntegratedApp"],
          "verifiedPublisher": { "displayName": "Vendor Ltd", "verifiedPublisherId": "6112345", "addedDateTime": "2024-03-01T12:00:00Z" }
        }
        """;

    /// <summary>Every service principal of the tenant: ours, the vendor's, and two of Microsoft's.</summary>
    public const string AllServicePrincipals = """
        {
          "@odata.context": "{root}/v1.0/$metadata#servicePrincipals(id,appId,displayName,appOwnerOrganizationId,servicePrincipalType,accountEnabled,appRoleAssignmentRequired,tags,verifiedPublisher)",
          "value": [
            { "id": "9d3f1c2b-4a5e-4b6c-8d7e-0f1a2b3c4d5e", "appId": "3b8f0d2e-6c1a-4f5e-9a7b-2d4c6e8f0a1b", "displayName": "Fraud Scoring Model", "appOwnerOrganizationId": "5a1c3e9b-7d24-4f6a-8b3c-2e1d0f9a8b7c", "servicePrincipalType": "Application", "accountEnabled": true, "appRoleAssignmentRequired": true, "tags": ["ai-system"] },
            { "id": "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f", "appId": "6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", "displayName": "Vendor Copilot", "appOwnerOrganizationId": "c0ffee00-1234-4abc-9def-0123456789ab", "servicePrincipalType": "Application", "accountEnabled": true, "appRoleAssignmentRequired": false, "tags": [], "verifiedPublisher": { "displayName": "Vendor Ltd", "verifiedPublisherId": "6112345" } },
            { "id": "e5c1a2b3-d4e5-4f60-8a1b-2c3d4e5f6a7b", "appId": "00000003-0000-0000-c000-000000000000", "displayName": "Microsoft Graph", "appOwnerOrganizationId": "f8cdef31-a31e-4b4a-93e4-5f571e91255a", "servicePrincipalType": "Application", "accountEnabled": true, "tags": [] },
            { "id": "f6d2b3c4-e5f6-4071-9b2c-3d4e5f6a7b8c", "appId": "1fec8e78-bce4-4aaf-ab1b-5451cc387264", "displayName": "Microsoft Teams", "appOwnerOrganizationId": "f8cdef31-a31e-4b4a-93e4-5f571e91255a", "servicePrincipalType": "Application", "accountEnabled": true, "tags": [] },
            { "id": "a7e3c4d5-f6a7-4182-8c3d-4e5f6a7b8c9d", "appId": "4d5e6f7a-8b9c-4d0e-a1f2-b3c4d5e6f7a8", "displayName": "Payroll", "appOwnerOrganizationId": "5a1c3e9b-7d24-4f6a-8b3c-2e1d0f9a8b7c", "servicePrincipalType": "Application", "accountEnabled": true, "tags": [] },
            { "id": "b8f4d5e6-a7b8-4293-9d4e-5f6a7b8c9d0e", "appId": "5e6f7a8b-9c0d-4e1f-b2a3-c4d5e6f7a8b9", "displayName": "func-aims-evidence", "servicePrincipalType": "ManagedIdentity", "accountEnabled": true, "tags": [] }
          ]
        }
        """;

    public const string PermissionGrants = """
        {
          "@odata.context": "{root}/v1.0/$metadata#oauth2PermissionGrants",
          "value": [
            { "id": "lAPpYvVpN0KRkAEhdxReEPQ3RmpqK0VDskdDuA3yRc0", "clientId": "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f", "consentType": "AllPrincipals", "principalId": null, "resourceId": "e5c1a2b3-d4e5-4f60-8a1b-2c3d4e5f6a7b", "scope": "User.Read openid profile" },
            { "id": "lAPpYvVpN0KRkAEhdxReEO2Nc1BYcFBFsjrk7nPrxSM", "clientId": "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f", "consentType": "Principal", "principalId": "04777c4b-4d43-4d32-a2e7-1eba5d03f8cf", "resourceId": "e5c1a2b3-d4e5-4f60-8a1b-2c3d4e5f6a7b", "scope": "Mail.Read Files.Read.All" },
            { "id": "lAPpYvVpN0KRkAEhdxReEGo2jz6kXHJFk4ACfFU-EGw", "clientId": "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f", "consentType": "Principal", "principalId": "11feb738-0039-4a6c-a045-dcb91a47969a", "resourceId": "e5c1a2b3-d4e5-4f60-8a1b-2c3d4e5f6a7b", "scope": "Mail.Read" },
            { "id": "xCbqGtDi70C5bI0ymy3dYNSPVt8nb09Pgfn5dglqMdM", "clientId": "a7e3c4d5-f6a7-4182-8c3d-4e5f6a7b8c9d", "consentType": "AllPrincipals", "principalId": null, "resourceId": "e5c1a2b3-d4e5-4f60-8a1b-2c3d4e5f6a7b", "scope": "User.Read" }
          ]
        }
        """;

    public const string FraudApplication = """
        {
          "@odata.context": "{root}/v1.0/$metadata#applications(id,appId,displayName,signInAudience,createdDateTime,tags,publisherDomain,notes)/$entity",
          "id": "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b",
          "appId": "3b8f0d2e-6c1a-4f5e-9a7b-2d4c6e8f0a1b",
          "displayName": "Fraud Scoring Model",
          "signInAudience": "AzureADMyOrg",
          "createdDateTime": "2024-11-05T08:15:30Z",
          "tags": ["ai-system"],
          "publisherDomain": "contoso.com",
          "notes": "Scores card transactions; owner: Risk Analytics"
        }
        """;

    public const string ApplicationNotFound = """
        {
          "error": {
            "code": "Request_ResourceNotFound",
            "message": "Resource '6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0' does not exist or one of its queried reference-property objects are not present.",
            "innerError": { "date": "2025-07-02T09:00:00", "request-id": "f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b", "client-request-id": "f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b" }
          }
        }
        """;

    public const string SpOwners = """
        {
          "value": [
            { "@odata.type": "#microsoft.graph.user", "id": "6e7b768e-07e2-4810-8459-485f84f8f204", "displayName": "Alex Wilber", "userPrincipalName": "AlexW@contoso.com", "accountEnabled": true }
          ]
        }
        """;

    public const string ApplicationOwners = """
        {
          "value": [
            { "@odata.type": "#microsoft.graph.user", "id": "6e7b768e-07e2-4810-8459-485f84f8f204", "displayName": "Alex Wilber", "userPrincipalName": "AlexW@contoso.com", "accountEnabled": true },
            { "@odata.type": "#microsoft.graph.servicePrincipal", "id": "b8f4d5e6-a7b8-4293-9d4e-5f6a7b8c9d0e", "displayName": "func-aims-evidence", "appId": "5e6f7a8b-9c0d-4e1f-b2a3-c4d5e6f7a8b9" }
          ]
        }
        """;

    public const string ReviewDefinitions = """
        {
          "@odata.context": "{root}/v1.0/$metadata#identityGovernance/accessReviews/definitions",
          "value": [
            {
              "id": "2dca8959-b716-4b4c-a93d-a535c01eb6e0",
              "displayName": "Quarterly review of the AI Governance Board",
              "createdDateTime": "2025-01-10T09:30:00Z",
              "lastModifiedDateTime": "2025-01-10T09:30:00Z",
              "status": "InProgress",
              "descriptionForAdmins": "Members keep their seat only when re-approved",
              "createdBy": { "id": "1800bb2c-955d-4205-8471-3a6c3116435d", "displayName": "Megan Bowen", "userPrincipalName": "MeganB@contoso.com" },
              "scope": {
                "@odata.type": "#microsoft.graph.accessReviewQueryScope",
                "query": "/groups/02bd9fd6-8f93-4758-87c3-1fb73740a315/transitiveMembers",
                "queryType": "MicrosoftGraph",
                "queryRoot": null
              },
              "instanceEnumerationScope": null,
              "reviewers": [
                { "query": "/groups/02bd9fd6-8f93-4758-87c3-1fb73740a315/owners", "queryType": "MicrosoftGraph", "queryRoot": null }
              ],
              "settings": {
                "mailNotificationsEnabled": true,
                "reminderNotificationsEnabled": true,
                "justificationRequiredOnApproval": true,
                "defaultDecisionEnabled": true,
                "defaultDecision": "Deny",
                "instanceDurationInDays": 14,
                "autoApplyDecisionsEnabled": true,
                "recommendationsEnabled": true,
                "recurrence": {
                  "pattern": { "type": "absoluteMonthly", "interval": 3, "month": 0, "dayOfMonth": 0, "daysOfWeek": [], "firstDayOfWeek": "sunday", "index": "first" },
                  "range": { "type": "noEnd", "numberOfOccurrences": 0, "recurrenceTimeZone": null, "startDate": "2025-01-15", "endDate": null }
                }
              }
            },
            {
              "id": "5eac5a70-7cd7-4f20-92b0-f9dba70dd7f0",
              "displayName": "Guests in Sales",
              "status": "Completed",
              "scope": {
                "@odata.type": "#microsoft.graph.accessReviewQueryScope",
                "query": "/groups/aaaaaaaa-1111-4222-8333-bbbbbbbbbbbb/transitiveMembers/microsoft.graph.user/?$count=true&$filter=(userType eq 'Guest')",
                "queryType": "MicrosoftGraph"
              },
              "reviewers": [],
              "settings": { "instanceDurationInDays": 7 }
            }
          ]
        }
        """;

    public const string ReviewInstances = """
        {
          "@odata.context": "{root}/v1.0/$metadata#identityGovernance/accessReviews/definitions('2dca8959-b716-4b4c-a93d-a535c01eb6e0')/instances",
          "value": [
            {
              "id": "1a2b3c4d-5e6f-4071-8293-a4b5c6d7e8f9",
              "startDateTime": "2025-01-15T00:00:00Z",
              "endDateTime": "2025-01-29T00:00:00Z",
              "status": "Completed",
              "scope": { "@odata.type": "#microsoft.graph.accessReviewQueryScope", "query": "/groups/02bd9fd6-8f93-4758-87c3-1fb73740a315/transitiveMembers", "queryType": "MicrosoftGraph" }
            },
            {
              "id": "8d035c9d-798d-47fa-beb4-f986a4b8126f",
              "startDateTime": "2025-06-15T00:00:00Z",
              "endDateTime": "2025-06-29T00:00:00Z",
              "status": "Completed",
              "scope": { "@odata.type": "#microsoft.graph.accessReviewQueryScope", "query": "/groups/02bd9fd6-8f93-4758-87c3-1fb73740a315/transitiveMembers", "queryType": "MicrosoftGraph" }
            }
          ]
        }
        """;

    public const string ReviewDecisions = """
        {
          "@odata.context": "{root}/v1.0/$metadata#identityGovernance/accessReviews/definitions('2dca8959-b716-4b4c-a93d-a535c01eb6e0')/instances('8d035c9d-798d-47fa-beb4-f986a4b8126f')/decisions",
          "@odata.count": 3,
          "value": [
            {
              "id": "139166ec-d214-4835-95aa-3c1d89581e51",
              "accessReviewId": "8d035c9d-798d-47fa-beb4-f986a4b8126f",
              "reviewedDateTime": "2025-06-20T14:03:00Z",
              "decision": "Approve",
              "justification": "Chairs the board",
              "appliedDateTime": "2025-06-29T00:05:00Z",
              "applyResult": "AppliedSuccessfully",
              "recommendation": "Approve",
              "principalLink": "https://graph.microsoft.com/v1.0/users/87d349ed-44d7-43e1-9a83-5f2406dee5bd",
              "resource": { "id": "02bd9fd6-8f93-4758-87c3-1fb73740a315", "displayName": "AI Governance Board", "type": "group" },
              "reviewedBy": { "id": "1800bb2c-955d-4205-8471-3a6c3116435d", "displayName": "Megan Bowen", "userPrincipalName": "MeganB@contoso.com" },
              "appliedBy": { "id": "00000000-0000-0000-0000-000000000000", "displayName": "", "userPrincipalName": "" },
              "principal": { "@odata.type": "#microsoft.graph.userIdentity", "id": "87d349ed-44d7-43e1-9a83-5f2406dee5bd", "displayName": "Adele Vance", "userPrincipalName": "AdeleV@contoso.com" }
            },
            {
              "id": "4bde8d40-9224-4aa3-936b-08d73e1baf47",
              "accessReviewId": "8d035c9d-798d-47fa-beb4-f986a4b8126f",
              "reviewedDateTime": "2025-06-21T10:00:00Z",
              "decision": "Deny",
              "justification": "",
              "appliedDateTime": "2025-06-29T00:05:00Z",
              "applyResult": "AppliedSuccessfully",
              "recommendation": "Deny",
              "resource": { "id": "02bd9fd6-8f93-4758-87c3-1fb73740a315", "displayName": "AI Governance Board", "type": "group" },
              "reviewedBy": { "id": "1800bb2c-955d-4205-8471-3a6c3116435d", "displayName": "Megan Bowen", "userPrincipalName": "MeganB@contoso.com" },
              "principal": { "@odata.type": "#microsoft.graph.userIdentity", "id": "04777c4b-4d43-4d32-a2e7-1eba5d03f8cf", "displayName": "Diego Siciliani", "userPrincipalName": "DiegoS@contoso.com" }
            },
            {
              "id": "e6cafba0-cbf0-4748-8868-0810c7f4cc06",
              "accessReviewId": "8d035c9d-798d-47fa-beb4-f986a4b8126f",
              "reviewedDateTime": null,
              "decision": "NotReviewed",
              "justification": "",
              "applyResult": "New",
              "recommendation": "Approve",
              "reviewedBy": { "id": "00000000-0000-0000-0000-000000000000", "displayName": "", "userPrincipalName": "" },
              "principal": { "@odata.type": "#microsoft.graph.userIdentity", "id": "11feb738-0039-4a6c-a045-dcb91a47969a", "displayName": "Johanna Lorenz", "userPrincipalName": "JohannaL@contoso.com" }
            }
          ]
        }
        """;

    public const string ConditionalAccessPolicies = """
        {
          "@odata.context": "{root}/v1.0/$metadata#identity/conditionalAccess/policies",
          "value": [
            {
              "id": "5f9a2c1b-8e3d-4a7f-b6c5-d4e3f2a1b0c9",
              "templateId": null,
              "displayName": "Require MFA for all apps",
              "createdDateTime": "2024-09-01T10:00:00Z",
              "modifiedDateTime": "2025-03-12T16:40:00Z",
              "state": "enabled",
              "conditions": {
                "userRiskLevels": [],
                "signInRiskLevels": [],
                "clientAppTypes": ["all"],
                "applications": { "includeApplications": ["All"], "excludeApplications": ["6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"], "includeUserActions": [] },
                "users": { "includeUsers": ["All"], "excludeUsers": [], "includeGroups": [], "excludeGroups": ["b320ee12-b1cd-4cca-b648-a437be61c5cd"], "includeRoles": [], "excludeRoles": [] }
              },
              "grantControls": { "operator": "OR", "builtInControls": ["mfa"], "customAuthenticationFactors": [], "termsOfUse": [] },
              "sessionControls": null
            },
            {
              "id": "7b1c2d3e-4f5a-4b6c-8d9e-0a1b2c3d4e5f",
              "displayName": "Vendor Copilot only from compliant devices",
              "createdDateTime": "2025-04-02T08:00:00Z",
              "modifiedDateTime": null,
              "state": "enabled",
              "conditions": {
                "clientAppTypes": ["browser", "mobileAppsAndDesktopClients"],
                "applications": { "includeApplications": ["6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"], "excludeApplications": [] },
                "users": { "includeUsers": [], "includeGroups": ["02bd9fd6-8f93-4758-87c3-1fb73740a315"] }
              },
              "grantControls": { "operator": "AND", "builtInControls": ["mfa", "compliantDevice"] },
              "sessionControls": { "signInFrequency": { "value": 8, "type": "hours", "isEnabled": true } }
            },
            {
              "id": "8c2d3e4f-5a6b-4c7d-9e0f-1b2c3d4e5f6a",
              "displayName": "Block legacy auth to the fraud model (report only)",
              "createdDateTime": "2025-05-20T08:00:00Z",
              "state": "enabledForReportingButNotEnforced",
              "conditions": {
                "clientAppTypes": ["exchangeActiveSync", "other"],
                "applications": { "includeApplications": ["3b8f0d2e-6c1a-4f5e-9a7b-2d4c6e8f0a1b"] },
                "users": { "includeUsers": ["All"] }
              },
              "grantControls": { "operator": "OR", "builtInControls": ["block"] }
            }
          ]
        }
        """;

    public const string DirectoryAuditsForFraudSp = """
        {
          "@odata.context": "{root}/v1.0/$metadata#auditLogs/directoryAudits",
          "value": [
            {
              "id": "Directory_ce3cc5e4-bd9c-4a1c-8c56-4b2f0c2e6e31_9XKTQ_18419011",
              "category": "ApplicationManagement",
              "correlationId": "ce3cc5e4-bd9c-4a1c-8c56-4b2f0c2e6e31",
              "result": "success",
              "resultReason": "",
              "activityDisplayName": "Update service principal",
              "activityDateTime": "2025-06-10T12:31:08.1234567Z",
              "loggedByService": "Core Directory",
              "operationType": "Update",
              "initiatedBy": {
                "app": null,
                "user": { "id": "6e7b768e-07e2-4810-8459-485f84f8f204", "displayName": null, "userPrincipalName": "AlexW@contoso.com", "ipAddress": "203.0.113.7", "userType": null }
              },
              "targetResources": [
                {
                  "id": "9d3f1c2b-4a5e-4b6c-8d7e-0f1a2b3c4d5e",
                  "displayName": "Fraud Scoring Model",
                  "type": "ServicePrincipal",
                  "userPrincipalName": null,
                  "groupType": null,
                  "modifiedProperties": [
                    { "displayName": "AppRoleAssignmentRequired", "oldValue": "[false]", "newValue": "[true]" }
                  ]
                }
              ],
              "additionalDetails": []
            },
            {
              "id": "Directory_0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e_ABCDE_12345678",
              "category": "UserManagement",
              "correlationId": "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e",
              "result": "success",
              "activityDisplayName": "Add app role assignment grant to user",
              "activityDateTime": "2025-06-18T07:45:00Z",
              "loggedByService": "Core Directory",
              "operationType": "Assign",
              "initiatedBy": { "app": { "appId": null, "displayName": "Azure Portal", "servicePrincipalId": "c9d0e1f2-a3b4-4c5d-8e6f-7a8b9c0d1e2f", "servicePrincipalName": null }, "user": null },
              "targetResources": [
                { "id": "9d3f1c2b-4a5e-4b6c-8d7e-0f1a2b3c4d5e", "displayName": "Fraud Scoring Model", "type": "ServicePrincipal", "modifiedProperties": [] },
                { "id": "04777c4b-4d43-4d32-a2e7-1eba5d03f8cf", "displayName": null, "type": "User", "userPrincipalName": "DiegoS@contoso.com", "modifiedProperties": [] }
              ],
              "additionalDetails": []
            }
          ]
        }
        """;

    public const string DirectoryAuditsForFraudApplication = """
        {
          "value": [
            {
              "id": "Directory_77aa88bb-99cc-4dde-8eff-001122334455_QWERT_55555555",
              "category": "ApplicationManagement",
              "correlationId": "77aa88bb-99cc-4dde-8eff-001122334455",
              "result": "success",
              "activityDisplayName": "Update application – Certificates and secrets management ",
              "activityDateTime": "2025-06-25T22:10:00Z",
              "loggedByService": "Core Directory",
              "operationType": "Update",
              "initiatedBy": { "user": { "id": "6e7b768e-07e2-4810-8459-485f84f8f204", "userPrincipalName": "AlexW@contoso.com" } },
              "targetResources": [
                { "id": "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b", "displayName": "Fraud Scoring Model", "type": "Application", "modifiedProperties": [ { "displayName": "KeyDescription", "oldValue": "[]", "newValue": "[\"[KeyIdentifier=0e3a, KeyType=Password, KeyUsage=Verify, DisplayName=ci]\"]" } ] }
              ]
            }
          ]
        }
        """;

    public const string Empty = """{ "value": [] }""";

    public static string Error(string code, string message) =>
        $$"""{ "error": { "code": "{{code}}", "message": "{{message}}", "innerError": { "date": "2025-07-02T09:00:00", "request-id": "0f0e0d0c-0b0a-4909-8807-060504030201" } } }""";
}
