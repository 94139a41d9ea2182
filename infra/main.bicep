// AIMS Evidence in Azure: a Flex Consumption Functions app running the custom handler (dotnet Aims.Functions.dll),
// an evidence container with version-level immutability, the collection queues, Key Vault for source secrets,
// Application Insights, and one user-assigned managed identity with least-privilege roles. Deployed with azd.
targetScope = 'subscription'

@minLength(1)
@maxLength(40)
@description('azd environment name; names and tags every resource.')
param environmentName string

@minLength(1)
@description('Azure region for every resource (one that offers Flex Consumption).')
param location string

@description('Organization name shown in digests (Aims__Organization).')
param organization string = 'Organization'

@description('NCRONTAB schedule of the nightly collection (six fields, UTC).')
param collectSchedule string = '0 0 2 * * *'

@description('NCRONTAB schedule of the gap analysis and digest (six fields, UTC): Mondays 06:00.')
param analyzeSchedule string = '0 0 6 * * 1'

@description('Queue transport: StorageQueues (default) or ServiceBus. Publish with the same AimsQueueTransport.')
@allowed([ 'StorageQueues', 'ServiceBus' ])
param queueTransport string = 'StorageQueues'

@description('Days each evidence blob version stays immutable (version-level WORM). The policy is created unlocked; lock it once reviewed.')
@minValue(1)
param evidenceRetentionDays int = 1095

@description('Answer bundle downloads with a user-delegation SAS link (<= 15 minutes) instead of streaming.')
param bundleSasLinks bool = false

@description('Optional JSON configuration file shipped with the app (AIMS_CONFIG), e.g. aims.json; empty for app settings only.')
param aimsConfigFile string = ''

@description('Teams incoming webhook URL for the digest; empty to skip. Stored in Key Vault.')
@secure()
param teamsWebhookUrl string = ''

@description('Mailbox the digest is sent from via Microsoft Graph; empty to skip email.')
param emailSender string = ''

@description('Digest recipients, separated by ";".')
param emailTo string = ''

@description('owner/name of the repository holding the digest issue; empty to skip.')
param digestIssueRepository string = ''

@description('GitHub organization the GitHub collector reads; empty when the GitHub source is not used.')
param githubOrganization string = ''

@description('Principal id of the deploying user or workload, granted Key Vault Secrets Officer to set source secrets.')
param deployerPrincipalId string = ''

var tags = { 'azd-env-name': environmentName, application: 'aims-evidence' }
var token = toLower(uniqueString(subscription().id, environmentName, location))

resource group 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-aims-${environmentName}'
  location: location
  tags: tags
}

module resources 'resources.bicep' = {
  name: 'aims-resources'
  scope: group
  params: {
    location: location
    tags: tags
    token: token
    organization: organization
    collectSchedule: collectSchedule
    analyzeSchedule: analyzeSchedule
    queueTransport: queueTransport
    evidenceRetentionDays: evidenceRetentionDays
    bundleSasLinks: bundleSasLinks
    aimsConfigFile: aimsConfigFile
    teamsWebhookUrl: teamsWebhookUrl
    emailSender: emailSender
    emailTo: emailTo
    digestIssueRepository: digestIssueRepository
    githubOrganization: githubOrganization
    deployerPrincipalId: deployerPrincipalId
  }
}

output AZURE_RESOURCE_GROUP string = group.name
output AZURE_FUNCTION_APP_NAME string = resources.outputs.functionAppName
output AZURE_KEY_VAULT_NAME string = resources.outputs.keyVaultName
output AIMS_EVIDENCE_CONTAINER_URL string = resources.outputs.evidenceContainerUrl
output AIMS_MANAGED_IDENTITY_CLIENT_ID string = resources.outputs.identityClientId
output AIMS_MANAGED_IDENTITY_PRINCIPAL_ID string = resources.outputs.identityPrincipalId
output AIMS_DOCUMENTS_CONTAINER_URL string = resources.outputs.documentsContainerUrl
output AIMS_STORAGE_ACCOUNT_NAME string = resources.outputs.storageAccountName
