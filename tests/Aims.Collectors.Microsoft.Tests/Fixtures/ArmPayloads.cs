namespace Aims.Collectors.Microsoft.Tests.Fixtures;

/// <summary>
/// Resource Manager responses shaped like the azure-rest-api-specs examples (written for the fake Contoso estate).
/// <c>{root}</c> is replaced by the fake server's root, so nextLinks point back at it.
/// </summary>
public static class ArmPayloads
{
    public const string Subscription = """
        {
          "id": "/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f",
          "subscriptionId": "6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f",
          "tenantId": "5a1c3e9b-7d24-4f6a-8b3c-2e1d0f9a8b7c",
          "displayName": "AI Production",
          "state": "Enabled",
          "subscriptionPolicies": { "locationPlacementId": "Public_2014-09-01", "quotaId": "EnterpriseAgreement_2014-09-01", "spendingLimit": "Off" },
          "authorizationSource": "RoleBased"
        }
        """;

    /// <summary>Cognitive Services accounts over two pages.</summary>
    public static string CognitiveResources(int page) => page == 1
        ? """
            {
              "value": [
                {
                  "id": "/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/oai-fraud",
                  "name": "oai-fraud",
                  "type": "Microsoft.CognitiveServices/accounts",
                  "kind": "OpenAI",
                  "location": "swedencentral",
                  "sku": { "name": "S0" },
                  "tags": { "ai-system": "fraud-scoring" }
                }
              ],
              "nextLink": "{root}/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f/resources?%24filter=resourceType%20eq%20%27Microsoft.CognitiveServices%2Faccounts%27&api-version=2022-09-01&%24skiptoken=page2"
            }
            """
        : """
            {
              "value": [
                {
                  "id": "/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/lang-support",
                  "name": "lang-support",
                  "type": "Microsoft.CognitiveServices/accounts",
                  "kind": "TextAnalytics",
                  "location": "westeurope",
                  "sku": { "name": "S" }
                }
              ]
            }
            """;

    public const string WorkspaceResources = """
        {
          "value": [
            {
              "id": "/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/mlw-fraud",
              "name": "mlw-fraud",
              "type": "Microsoft.MachineLearningServices/workspaces",
              "kind": "Default",
              "location": "swedencentral",
              "sku": { "name": "Basic", "tier": "Basic" },
              "identity": { "type": "SystemAssigned", "principalId": "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f", "tenantId": "5a1c3e9b-7d24-4f6a-8b3c-2e1d0f9a8b7c" }
            }
          ]
        }
        """;

    public const string OpenAiAccount = """
        {
          "id": "/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/oai-fraud",
          "name": "oai-fraud",
          "type": "Microsoft.CognitiveServices/accounts",
          "etag": "\"0a0b0c0d-0000-0d00-0000-6650a1b20000\"",
          "location": "swedencentral",
          "kind": "OpenAI",
          "sku": { "name": "S0" },
          "tags": { "ai-system": "fraud-scoring" },
          "identity": { "type": "SystemAssigned", "principalId": "d2e3f4a5-b6c7-4d8e-9f0a-1b2c3d4e5f6a", "tenantId": "5a1c3e9b-7d24-4f6a-8b3c-2e1d0f9a8b7c" },
          "systemData": { "createdBy": "AlexW@contoso.com", "createdByType": "User", "createdAt": "2024-10-01T08:00:00.0000000Z", "lastModifiedBy": "AlexW@contoso.com", "lastModifiedByType": "User", "lastModifiedAt": "2025-05-12T10:30:00.0000000Z" },
          "properties": {
            "endpoint": "https://oai-fraud.openai.azure.com/",
            "internalId": "5ab3c2d1e0f94a8b9c7d6e5f4a3b2c1d",
            "dateCreated": "2024-10-01T08:00:00.0000000Z",
            "provisioningState": "Succeeded",
            "customSubDomainName": "oai-fraud",
            "networkAcls": { "defaultAction": "Deny", "virtualNetworkRules": [], "ipRules": [ { "value": "203.0.113.0/24" } ] },
            "privateEndpointConnections": [ { "id": "/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/oai-fraud/privateEndpointConnections/pe-oai", "properties": { "privateLinkServiceConnectionState": { "status": "Approved" } } } ],
            "publicNetworkAccess": "Disabled",
            "disableLocalAuth": true,
            "restrictOutboundNetworkAccess": false,
            "capabilities": [ { "name": "VirtualNetworks" }, { "name": "CustomerManagedKey" } ]
          }
        }
        """;

    public const string LanguageAccount = """
        {
          "id": "/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/lang-support",
          "name": "lang-support",
          "type": "Microsoft.CognitiveServices/accounts",
          "location": "westeurope",
          "kind": "TextAnalytics",
          "sku": { "name": "S" },
          "properties": { "endpoint": "https://lang-support.cognitiveservices.azure.com/", "provisioningState": "Succeeded", "publicNetworkAccess": "Enabled" }
        }
        """;

    public const string Workspace = """
        {
          "id": "/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/mlw-fraud",
          "name": "mlw-fraud",
          "type": "Microsoft.MachineLearningServices/workspaces",
          "location": "swedencentral",
          "kind": "Default",
          "sku": { "name": "Basic", "tier": "Basic" },
          "identity": { "type": "SystemAssigned", "principalId": "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f", "tenantId": "5a1c3e9b-7d24-4f6a-8b3c-2e1d0f9a8b7c" },
          "properties": {
            "friendlyName": "Fraud model training",
            "description": "Training and evaluation of the fraud scoring model",
            "provisioningState": "Succeeded",
            "storageAccount": "/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f/resourceGroups/rg-ml/providers/Microsoft.Storage/storageAccounts/stmlfraud",
            "keyVault": "/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f/resourceGroups/rg-ml/providers/Microsoft.KeyVault/vaults/kv-ml-fraud",
            "applicationInsights": "/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f/resourceGroups/rg-ml/providers/Microsoft.Insights/components/appi-ml-fraud",
            "containerRegistry": null,
            "hbiWorkspace": true,
            "publicNetworkAccess": "Disabled",
            "managedNetwork": { "isolationMode": "AllowOnlyApprovedOutbound" }
          }
        }
        """;

    /// <summary>Model deployments over two pages.</summary>
    public static string Deployments(int page) => page == 1
        ? """
            {
              "value": [
                {
                  "id": "/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/oai-fraud/deployments/gpt-4o",
                  "name": "gpt-4o",
                  "type": "Microsoft.CognitiveServices/accounts/deployments",
                  "sku": { "name": "Standard", "capacity": 30 },
                  "systemData": { "createdBy": "AlexW@contoso.com", "createdAt": "2025-06-03T09:00:00Z", "lastModifiedBy": "AlexW@contoso.com", "lastModifiedAt": "2025-06-20T16:45:00Z" },
                  "properties": {
                    "model": { "format": "OpenAI", "name": "gpt-4o", "version": "2024-08-06" },
                    "versionUpgradeOption": "NoAutoUpgrade",
                    "raiPolicyName": "fraud-strict",
                    "provisioningState": "Succeeded",
                    "currentCapacity": 30,
                    "rateLimits": [ { "key": "request", "renewalPeriod": 10, "count": 30 } ]
                  }
                },
                {
                  "id": "/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/oai-fraud/deployments/text-embedding-3-large",
                  "name": "text-embedding-3-large",
                  "type": "Microsoft.CognitiveServices/accounts/deployments",
                  "sku": { "name": "Standard", "capacity": 120 },
                  "properties": {
                    "model": { "format": "OpenAI", "name": "text-embedding-3-large", "version": "1" },
                    "versionUpgradeOption": "OnceNewDefaultVersionAvailable",
                    "raiPolicyName": "Microsoft.DefaultV2",
                    "provisioningState": "Succeeded"
                  }
                }
              ],
              "nextLink": "{root}/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/oai-fraud/deployments?api-version=2024-10-01&$skipToken=2"
            }
            """
        : """
            {
              "value": [
                {
                  "id": "/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/oai-fraud/deployments/gpt-4o-mini-eval",
                  "name": "gpt-4o-mini-eval",
                  "type": "Microsoft.CognitiveServices/accounts/deployments",
                  "sku": { "name": "GlobalStandard", "capacity": 10 },
                  "properties": {
                    "model": { "format": "OpenAI", "name": "gpt-4o-mini", "version": "2024-07-18" },
                    "provisioningState": "Succeeded"
                  }
                }
              ]
            }
            """;

    public const string RaiPolicies = """
        {
          "value": [
            {
              "id": "/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/oai-fraud/raiPolicies/fraud-strict",
              "name": "fraud-strict",
              "type": "Microsoft.CognitiveServices/accounts/raiPolicies",
              "properties": {
                "mode": "Blocking",
                "basePolicyName": "Microsoft.DefaultV2",
                "type": "UserManaged",
                "contentFilters": [
                  { "name": "Hate", "enabled": true, "severityThreshold": "Low", "blocking": true, "source": "Prompt" },
                  { "name": "Hate", "enabled": true, "severityThreshold": "Low", "blocking": true, "source": "Completion" },
                  { "name": "Jailbreak", "enabled": true, "blocking": true, "source": "Prompt" },
                  { "name": "Protected Material Text", "enabled": false, "blocking": false, "source": "Completion" }
                ]
              }
            }
          ]
        }
        """;

    public const string OpenAiDiagnostics = """
        {
          "value": [
            {
              "id": "/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f/resourcegroups/rg-ai/providers/microsoft.cognitiveservices/accounts/oai-fraud/providers/microsoft.insights/diagnosticSettings/to-sentinel",
              "name": "to-sentinel",
              "type": "Microsoft.Insights/diagnosticSettings",
              "properties": {
                "storageAccountId": "/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f/resourceGroups/rg-logs/providers/Microsoft.Storage/storageAccounts/stauditlogs",
                "workspaceId": "/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/law-security",
                "eventHubAuthorizationRuleId": null,
                "eventHubName": null,
                "logAnalyticsDestinationType": "Dedicated",
                "metrics": [ { "category": "AllMetrics", "enabled": true, "retentionPolicy": { "enabled": false, "days": 0 } } ],
                "logs": [
                  { "category": "Audit", "categoryGroup": null, "enabled": true, "retentionPolicy": { "enabled": true, "days": 365 } },
                  { "category": "RequestResponse", "categoryGroup": null, "enabled": true, "retentionPolicy": { "enabled": false, "days": 0 } },
                  { "category": "Trace", "categoryGroup": null, "enabled": false, "retentionPolicy": { "enabled": false, "days": 0 } }
                ]
              }
            }
          ]
        }
        """;

    public const string RoleAssignments = """
        {
          "value": [
            {
              "id": "/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/oai-fraud/providers/Microsoft.Authorization/roleAssignments/3fc8e2a1-1b2c-4d3e-8f4a-5b6c7d8e9f0a",
              "name": "3fc8e2a1-1b2c-4d3e-8f4a-5b6c7d8e9f0a",
              "type": "Microsoft.Authorization/roleAssignments",
              "properties": {
                "roleDefinitionId": "/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f/providers/Microsoft.Authorization/roleDefinitions/5e0bd9bd-7b93-4f28-af87-19fc36ad61bd",
                "principalId": "ab12cd34-ef56-4789-a0b1-c2d3e4f5a6b7",
                "principalType": "Group",
                "scope": "/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/oai-fraud",
                "condition": null,
                "createdOn": "2025-03-04T11:00:00.0000000Z",
                "updatedOn": "2025-03-04T11:00:00.0000000Z",
                "createdBy": "87d349ed-44d7-43e1-9a83-5f2406dee5bd",
                "description": "Data scientists call the fraud deployments"
              }
            },
            {
              "id": "/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f/providers/Microsoft.Authorization/roleAssignments/7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d",
              "name": "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d",
              "type": "Microsoft.Authorization/roleAssignments",
              "properties": {
                "roleDefinitionId": "/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c",
                "principalId": "b8f4d5e6-a7b8-4293-9d4e-5f6a7b8c9d0e",
                "principalType": "ServicePrincipal",
                "scope": "/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f",
                "createdOn": "2024-09-01T08:00:00.0000000Z"
              }
            }
          ]
        }
        """;

    public static string RoleDefinition(string id, string name) => $$"""
        {
          "id": "{{id}}",
          "name": "{{id[(id.LastIndexOf('/') + 1)..]}}",
          "type": "Microsoft.Authorization/roleDefinitions",
          "properties": { "roleName": "{{name}}", "type": "BuiltInRole", "description": "Built-in role", "assignableScopes": [ "/" ], "permissions": [] }
        }
        """;

    public const string PolicyAssignments = """
        {
          "value": [
            {
              "id": "/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f/providers/Microsoft.Authorization/policyAssignments/ai-no-local-auth",
              "type": "Microsoft.Authorization/policyAssignments",
              "name": "ai-no-local-auth",
              "location": "swedencentral",
              "identity": { "type": "SystemAssigned", "principalId": "e3f4a5b6-c7d8-4e9f-8a0b-1c2d3e4f5a6b", "tenantId": "5a1c3e9b-7d24-4f6a-8b3c-2e1d0f9a8b7c" },
              "properties": {
                "displayName": "Azure AI services should have key access disabled",
                "policyDefinitionId": "/providers/Microsoft.Authorization/policyDefinitions/71ef260a-8f18-47b7-abcb-62d0673d94dc",
                "scope": "/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f",
                "notScopes": [ "/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f/resourceGroups/rg-sandbox" ],
                "enforcementMode": "Default",
                "parameters": {},
                "metadata": { "assignedBy": "Megan Bowen" }
              }
            },
            {
              "id": "/providers/Microsoft.Management/managementGroups/contoso/providers/Microsoft.Authorization/policyAssignments/diag-to-law",
              "type": "Microsoft.Authorization/policyAssignments",
              "name": "diag-to-law",
              "properties": {
                "displayName": "Send AI diagnostics to Log Analytics",
                "policyDefinitionId": "/providers/Microsoft.Management/managementGroups/contoso/providers/Microsoft.Authorization/policySetDefinitions/ai-diagnostics",
                "scope": "/providers/Microsoft.Management/managementGroups/contoso",
                "enforcementMode": "DoNotEnforce"
              }
            }
          ]
        }
        """;

    public const string PolicySummary = """
        {
          "@odata.context": "https://management.azure.com/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f/providers/Microsoft.PolicyInsights/policyStates/$metadata#summary",
          "@odata.count": 1,
          "value": [
            {
              "@odata.id": null,
              "@odata.context": "https://management.azure.com/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f/providers/Microsoft.PolicyInsights/policyStates/$metadata#summary/$entity",
              "results": {
                "queryResultsUri": "https://management.azure.com/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f/providers/Microsoft.PolicyInsights/policyStates/latest/queryResults?api-version=2019-10-01&$filter=ComplianceState eq 'NonCompliant'",
                "nonCompliantResources": 2,
                "nonCompliantPolicies": 1,
                "resourceDetails": [ { "complianceState": "compliant", "count": 14 }, { "complianceState": "noncompliant", "count": 2 } ],
                "policyDetails": [ { "complianceState": "noncompliant", "count": 1 } ]
              },
              "policyAssignments": [
                {
                  "policyAssignmentId": "/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f/providers/microsoft.authorization/policyassignments/ai-no-local-auth",
                  "policySetDefinitionId": "",
                  "results": { "nonCompliantResources": 2, "nonCompliantPolicies": 1, "resourceDetails": [ { "complianceState": "noncompliant", "count": 2 } ] },
                  "policyDefinitions": []
                }
              ]
            }
          ]
        }
        """;

    public const string ActivityLog = """
        {
          "value": [
            {
              "caller": "AlexW@contoso.com",
              "channels": "Operation",
              "correlationId": "1e121103-0ba6-4300-ac9d-952bb5d0c80f",
              "eventDataId": "44ade6b4-3813-45e6-ae27-7420a95fa2f8",
              "eventName": { "value": "EndRequest", "localizedValue": "End request" },
              "category": { "value": "Administrative", "localizedValue": "Administrative" },
              "eventTimestamp": "2025-06-20T16:45:12.4718592Z",
              "level": "Informational",
              "operationName": { "value": "Microsoft.CognitiveServices/accounts/deployments/write", "localizedValue": "Writes Deployments" },
              "resourceId": "/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f/resourceGroups/RG-AI/providers/Microsoft.CognitiveServices/accounts/oai-fraud/deployments/gpt-4o",
              "resourceProviderName": { "value": "Microsoft.CognitiveServices", "localizedValue": "Microsoft.CognitiveServices" },
              "status": { "value": "Succeeded", "localizedValue": "Succeeded" },
              "subStatus": { "value": "", "localizedValue": "" },
              "submissionTimestamp": "2025-06-20T16:46:01.1234567Z",
              "subscriptionId": "6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f",
              "authorization": { "action": "Microsoft.CognitiveServices/accounts/deployments/write", "scope": "/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/oai-fraud/deployments/gpt-4o" },
              "claims": { "aud": "https://management.azure.com/", "appid": "04b07795-8ddb-461a-bbee-02f9e1bf7b46" }
            },
            {
              "caller": "AlexW@contoso.com",
              "correlationId": "2f232214-1cb7-4411-bd0e-a63cc6e1d91a",
              "eventDataId": "55bef7c5-4924-46f7-bf38-8531b06ab3f9",
              "category": { "value": "Administrative", "localizedValue": "Administrative" },
              "eventTimestamp": "2025-06-21T08:02:00Z",
              "level": "Informational",
              "operationName": { "value": "Microsoft.CognitiveServices/accounts/listKeys/action", "localizedValue": "List Keys" },
              "resourceId": "/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/oai-fraud",
              "status": { "value": "Succeeded", "localizedValue": "Succeeded" }
            },
            {
              "caller": "AlexW@contoso.com",
              "eventDataId": "66cf08d6-5a35-4708-8049-9642c17bc40a",
              "category": { "value": "Policy", "localizedValue": "Policy" },
              "eventTimestamp": "2025-06-20T16:45:13Z",
              "operationName": { "value": "Microsoft.Authorization/policies/audit/action", "localizedValue": "Audit policy action" },
              "resourceId": "/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/oai-fraud",
              "status": { "value": "Succeeded" }
            }
          ]
        }
        """;

    public const string Empty = """{ "value": [] }""";

    public static string Error(string code, string message) => $$"""{ "error": { "code": "{{code}}", "message": "{{message}}" } }""";
}
