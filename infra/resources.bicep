// Everything in the resource group. Kept in one file so each app setting sits next to the resource it names.
param location string
param tags object
param token string
param organization string
param collectSchedule string
param checkRunsSchedule string
param runsCompleteWithin string
param evidenceRetentionDays int
param aimsConfigFile string
@secure()
param teamsWebhookUrl string
param emailSender string
param emailTo string
param digestIssueRepository string
param githubOrganization string
param githubTopic string
param githubRepositories string
param jiraBaseUrl string
param jiraEmail string
param jiraProjects string
param serviceNowBaseUrl string
param serviceNowUsername string
param githubIssuesRepositories string
param entraAppTags string
param azureSubscriptions string
param documentsPath string
param serviceBusEvents bool
param eventsTopic string
param deployerPrincipalId string

var evidenceContainerName = 'evidence'
// Derived from the evidence container's name by the app (EvidenceStores.StateContainerName / IndexTableName): keep in step.
var stateContainerName = '${evidenceContainerName}-state'
var indexTableName = 'index${evidenceContainerName}'
var packageContainerName = 'app-package'
var documentsContainerName = 'documents'

// Built-in role definition ids.
var roles = {
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  keyVaultCryptoUser: '12338af0-0e69-4776-bea7-57ae8d297424'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
}

// ---- identity ------------------------------------------------------------------------------------------------------

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-aims-${token}'
  location: location
  tags: tags
}

// ---- storage: evidence (WORM), host state, queues, runs table, deployment package ---------------------------------------------

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'staims${token}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_ZRS' }
  properties: {
    // Every caller uses Entra ID: the app's managed identity in Azure, an operator's sign-in otherwise.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    // Lets containers hold version-level immutability policies.
    immutableStorageWithVersioning: { enabled: true }
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    isVersioningEnabled: true
    deleteRetentionPolicy: { enabled: true, days: 30 }
    containerDeleteRetentionPolicy: { enabled: true, days: 30 }
  }
}

resource evidence 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: evidenceContainerName
  properties: {
    publicAccess: 'None'
    immutableStorageWithVersioning: { enabled: true }
  }
}

// Every version of every evidence blob (items, raw payloads, ledger segments, checkpoints) is kept unchanged for the
// retention period; the app only ever creates them (If-None-Match: *), so no version is wasted. Append writes keep the
// ledger growing. Nothing that changes (index, caches, reports) is written here.
resource evidenceRetention 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2023-05-01' = {
  parent: evidence
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: evidenceRetentionDays
    allowProtectedAppendWritesAll: true
  }
}

// Reports, digests, bundle builds, the HTTP response cache and collector state: overwritten freely, so no versioning
// policy and no immutability (every overwrite in the evidence container would be a version kept for years).
resource state 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: stateContainerName
  properties: { publicAccess: 'None' }
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

// The derived index (latest item per kind and subject, which items the ledger holds): rebuilt from the ledger at will.
resource indexTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tables
  name: indexTableName
}

resource packages 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: packageContainerName
  properties: { publicAccess: 'None' }
}

// Governed documents for the DocumentsBlob source (docs/documents.md): the deployment has no local folder, so
// policies, assessments and minutes with their front matter or sidecars are uploaded here (scripts/upload-documents.sh).
// Not immutable: documents are replaced by new versions; what was observed is kept in the evidence container.
resource documents 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: documentsContainerName
  properties: { publicAccess: 'None' }
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

// The fan-out (collect-jobs), the host's poison queue, the fan-in's analysis queue and the bundle build queue.
resource jobQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [for name in [ 'collect-jobs', 'collect-jobs-poison', 'analyze-runs', 'bundle-builds' ]: {
  parent: queues
  name: name
}]

// One partition per run: its plan, and one row per finished job (fan-in without an orchestrator).
resource runsTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tables
  name: 'aimsruns'
}

// ---- optional Service Bus events -------------------------------------------------------------------------------------

resource serviceBus 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = if (serviceBusEvents) {
  name: 'sb-aims-${token}'
  location: location
  tags: tags
  sku: { name: 'Standard', tier: 'Standard' }
  properties: { disableLocalAuth: true, minimumTlsVersion: '1.2' }
}

// Run-completed and gap-changed CloudEvents; subscribers (ticketing automation, SIEM) filter on the message subject.
resource eventsTopicResource 'Microsoft.ServiceBus/namespaces/topics@2022-10-01-preview' = if (serviceBusEvents) {
  parent: serviceBus
  name: eventsTopic
  properties: {
    // A redelivered analysis re-sends its events with the same message ids: dropped here.
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT1H'
  }
}

// ---- Key Vault for source secrets -----------------------------------------------------------------------------------

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-aims-${token}'
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
  }
}

resource teamsSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(teamsWebhookUrl)) {
  parent: vault
  name: 'teams-webhook-url'
  properties: { value: teamsWebhookUrl }
}

// The key that signs ledger checkpoints and bundles (ES256). Its private half never leaves the vault: the app calls the
// vault's 'sign' operation with its identity. The app setting pins this version, so every signature uses one key and the
// fingerprint auditors pin stays valid until the key is rotated on purpose.
resource signingKey 'Microsoft.KeyVault/vaults/keys@2023-07-01' = {
  parent: vault
  name: 'aims-signing'
  properties: {
    kty: 'EC'
    curveName: 'P-256'
    keyOps: [ 'sign', 'verify' ]
  }
}

// ---- monitoring -------------------------------------------------------------------------------------------------------

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-aims-${token}'
  location: location
  tags: tags
  properties: { sku: { name: 'PerGB2018' }, retentionInDays: 90 }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-aims-${token}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    DisableLocalAuth: true
  }
}

// ---- the Functions app ------------------------------------------------------------------------------------------------

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-aims-${token}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

var keyVaultSecret = '@Microsoft.KeyVault(SecretUri=${vault.properties.vaultUri}secrets/'

var baseSettings = [
  // Host storage (timer leases, queue triggers) and the app's own queue and table clients, over the managed identity.
  // FUNCTIONS_WORKER_RUNTIME is not an app setting on Flex Consumption: functionAppConfig.runtime says dotnet-isolated.
  { name: 'AzureWebJobsStorage__accountName', value: storage.name }
  { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
  { name: 'AzureWebJobsStorage__clientId', value: identity.properties.clientId }
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
  { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identity.properties.clientId};Authorization=AAD' }
  // DefaultAzureCredential picks the user-assigned identity by this client id (store, Graph, Resource Manager, Service Bus).
  { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
  { name: 'AIMS_COLLECT_SCHEDULE', value: collectSchedule }
  { name: 'AIMS_CHECK_RUNS_SCHEDULE', value: checkRunsSchedule }
  { name: 'AIMS_CONFIG', value: aimsConfigFile }
  { name: 'Aims__Organization', value: organization }
  { name: 'Aims__Signing__KeyVaultKeyId', value: signingKey.properties.keyUriWithVersion }
  { name: 'Aims__Store', value: '${storage.properties.primaryEndpoints.blob}${evidenceContainerName}' }
  { name: 'Aims__Runs__CompleteWithin', value: runsCompleteWithin }
  { name: 'Aims__Notifications__DigestUrl', value: '' }
  { name: 'Aims__Notifications__Teams__WebhookUrl', value: empty(teamsWebhookUrl) ? '' : '${keyVaultSecret}teams-webhook-url)' }
  { name: 'Aims__Notifications__Email__Sender', value: emailSender }
  { name: 'Aims__Notifications__Email__To', value: emailTo }
  { name: 'Aims__Notifications__Email__GraphBaseUrl', value: 'https://graph.microsoft.com/v1.0' }
  { name: 'Aims__Notifications__GitHubIssue__Repository', value: digestIssueRepository }
  { name: 'Aims__Notifications__GitHubIssue__BaseUrl', value: 'https://api.github.com' }
  // Set the secret 'github-issue-token' before the first digest (docs/deploy.md).
  { name: 'Aims__Notifications__GitHubIssue__Token', value: empty(digestIssueRepository) ? '' : '${keyVaultSecret}github-issue-token)' }
]

// Each source's required settings, present only when the source is used (a source is configured by its settings).
var githubSettings = empty(githubOrganization) && empty(githubRepositories) ? [] : concat(
  empty(githubOrganization) ? [] : [
    { name: 'Aims__Sources__GitHub__Organization', value: githubOrganization }
    { name: 'Aims__Sources__GitHub__Topic', value: githubTopic }
  ],
  // Organization + topic wins; a fixed list is written only without an organization (the app refuses both).
  empty(githubRepositories) || !empty(githubOrganization) ? [] : [ { name: 'Aims__Sources__GitHub__Repositories', value: githubRepositories } ],
  // Set the secret 'github-token' (or switch to the GitHub App settings) before the first collection.
  [ { name: 'Aims__Sources__GitHub__Token', value: '${keyVaultSecret}github-token)' } ])

var jiraSettings = empty(jiraBaseUrl) ? [] : [
  { name: 'Aims__Sources__Jira__BaseUrl', value: jiraBaseUrl }
  { name: 'Aims__Sources__Jira__Email', value: jiraEmail }
  { name: 'Aims__Sources__Jira__Projects', value: jiraProjects }
  { name: 'Aims__Sources__Jira__ApiToken', value: '${keyVaultSecret}jira-api-token)' }
]

var serviceNowSettings = empty(serviceNowBaseUrl) ? [] : [
  { name: 'Aims__Sources__ServiceNow__BaseUrl', value: serviceNowBaseUrl }
  { name: 'Aims__Sources__ServiceNow__Username', value: serviceNowUsername }
  { name: 'Aims__Sources__ServiceNow__Password', value: '${keyVaultSecret}servicenow-password)' }
]

var githubIssuesSettings = empty(githubIssuesRepositories) ? [] : [
  { name: 'Aims__Sources__GitHubIssues__Repositories', value: githubIssuesRepositories }
  { name: 'Aims__Sources__GitHubIssues__Token', value: '${keyVaultSecret}github-issues-token)' }
]

var entraSettings = empty(entraAppTags) ? [] : [ { name: 'Aims__Sources__EntraId__AppTags', value: entraAppTags } ]

var azureSettings = empty(azureSubscriptions) ? [] : [ { name: 'Aims__Sources__Azure__Subscriptions', value: azureSubscriptions } ]

var documentsFolderSettings = empty(documentsPath) ? [] : [ { name: 'Aims__Sources__Documents__Path', value: documentsPath } ]

var eventSettings = !serviceBusEvents ? [] : [
  { name: 'Aims__Events__ServiceBus__FullyQualifiedNamespace', value: '${serviceBus.name}.servicebus.windows.net' }
  { name: 'Aims__Events__ServiceBus__Topic', value: eventsTopic }
]

// The documents source that works without a local folder: read with the app's identity (its blob role covers it).
var documentsSettings = [
  { name: 'Aims__Sources__DocumentsBlob__ContainerUrl', value: '${storage.properties.primaryEndpoints.blob}${documentsContainerName}' }
  { name: 'Aims__Sources__DocumentsBlob__ClientId', value: identity.properties.clientId }
]

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: 'func-aims-${token}'
  location: location
  tags: union(tags, { 'azd-service-name': 'functions' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${packageContainerName}'
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identity.id }
        }
      }
      scaleAndConcurrency: { maximumInstanceCount: 40, instanceMemoryMB: 2048 }
      // The isolated worker on .NET 10: the host starts `dotnet Aims.Functions.dll` (worker.config.json) and drives it over gRPC.
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: concat(baseSettings, githubSettings, jiraSettings, serviceNowSettings, githubIssuesSettings, entraSettings, azureSettings, documentsFolderSettings, documentsSettings, eventSettings)
    }
  }
  dependsOn: [ evidenceRetention, packages, jobQueues, runsTable ]
}

// ---- least-privilege role assignments for the app's identity ---------------------------------------------------------

// Evidence, host state and the deployment package (also allows Get User Delegation Key for bundle SAS links).
resource blobRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, roles.storageBlobDataContributor)
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
  }
}

// The index table only: entity reads and writes, no account keys.
resource tableRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: indexTable
  name: guid(indexTable.id, identity.id, roles.storageTableDataContributor)
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
  }
}

resource queueRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, roles.storageQueueDataContributor)
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
  }
}

// The runs table of the fan-in only.
resource runsTableRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: runsTable
  name: guid(runsTable.id, identity.id, roles.storageTableDataContributor)
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
  }
}

resource secretsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, identity.id, roles.keyVaultSecretsUser)
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}

// Sign with the checkpoint key, scoped to that key alone (not the other keys a vault may hold).
resource signingRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: signingKey
  name: guid(signingKey.id, identity.id, roles.keyVaultCryptoUser)
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultCryptoUser)
  }
}

resource deployerSecretsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  scope: vault
  name: guid(vault.id, deployerPrincipalId, roles.keyVaultSecretsOfficer)
  properties: {
    principalId: deployerPrincipalId
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
  }
}

resource metricsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: insights
  name: guid(insights.id, identity.id, roles.monitoringMetricsPublisher)
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}

// Publish events only: the app never reads the topic.
resource busSenderRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (serviceBusEvents) {
  scope: eventsTopicResource
  name: guid(resourceGroup().id, identity.id, roles.serviceBusDataSender)
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataSender)
  }
}

// The deploying principal uploads the organization's documents (azd postprovision hook); shared keys are off.
resource deployerDocumentsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  scope: documents
  name: guid(documents.id, deployerPrincipalId, roles.storageBlobDataContributor)
  properties: {
    principalId: deployerPrincipalId
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
  }
}

output functionAppName string = app.name
output keyVaultName string = vault.name
output signingKeyId string = signingKey.properties.keyUriWithVersion
output evidenceContainerUrl string = '${storage.properties.primaryEndpoints.blob}${evidenceContainerName}'
output stateContainerUrl string = '${storage.properties.primaryEndpoints.blob}${stateContainerName}'
output indexTableUrl string = '${storage.properties.primaryEndpoints.table}${indexTableName}'
output identityClientId string = identity.properties.clientId
output identityPrincipalId string = identity.properties.principalId
output documentsContainerUrl string = '${storage.properties.primaryEndpoints.blob}${documentsContainerName}'
output storageAccountName string = storage.name
