// AIMS Evidence in Azure: a Flex Consumption Functions app (isolated worker, dotnet-isolated 10.0), an evidence
// container with version-level immutability, the queues and runs table of the fan-out/fan-in, Key Vault for source
// secrets, Application Insights, optional Service Bus events, and one user-assigned managed identity with
// least-privilege roles. Every connection is identity-based. Deployed with azd.
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

@description('NCRONTAB schedule of the safety net that analyses runs whose jobs never all finished (six fields, UTC).')
param checkRunsSchedule string = '0 30 * * * *'

@description('How long a run may take before the safety net analyses it anyway (hh:mm:ss).')
param runsCompleteWithin string = '06:00:00'

@description('Days each evidence blob version stays immutable (version-level WORM). The policy is created unlocked; lock it once reviewed.')
@minValue(1)
param evidenceRetentionDays int = 1095

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

@description('GitHub source: the organization whose repositories carrying githubTopic are in scope; empty unless used.')
param githubOrganization string = ''

@description('GitHub source: the repository topic that marks AI-system repositories (required with githubOrganization).')
param githubTopic string = ''

@description('GitHub source: a fixed list of owner/name repositories, comma-separated (instead of organization + topic).')
param githubRepositories string = ''

@description('Jira source: the site root, e.g. https://contoso.atlassian.net; empty unless used. The API token goes to Key Vault (jira-api-token).')
param jiraBaseUrl string = ''

@description('Jira source: the Atlassian account the API token belongs to.')
param jiraEmail string = ''

@description('Jira source: project keys, comma-separated; empty for all projects the queries find.')
param jiraProjects string = ''

@description('ServiceNow source: the instance, e.g. https://contoso.service-now.com; empty unless used. The password goes to Key Vault (servicenow-password).')
param serviceNowBaseUrl string = ''

@description('ServiceNow source: the integration user.')
param serviceNowUsername string = ''

@description('GitHub Issues source: owner/name repositories, comma-separated; empty unless used. The token goes to Key Vault (github-issues-token).')
param githubIssuesRepositories string = ''

@description('Entra ID source: service principal tags that mark an app as an AI system, comma-separated; empty unless used.')
param entraAppTags string = ''

@description('Azure source: subscription ids to read, comma-separated; empty unless used (the identity needs Reader on them).')
param azureSubscriptions string = ''

@description('Documents source: the folder of governed documents, relative to the app root; empty unless used.')
param documentsPath string = ''

@description('Publish run-completed and gap-changed events (CloudEvents) to a Service Bus topic.')
param serviceBusEvents bool = false

@description('The Service Bus topic events go to.')
param eventsTopic string = 'aims-events'

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
    tags: tags
    token: token
    location: location
    organization: organization
    collectSchedule: collectSchedule
    checkRunsSchedule: checkRunsSchedule
    runsCompleteWithin: runsCompleteWithin
    evidenceRetentionDays: evidenceRetentionDays
    aimsConfigFile: aimsConfigFile
    teamsWebhookUrl: teamsWebhookUrl
    emailSender: emailSender
    emailTo: emailTo
    digestIssueRepository: digestIssueRepository
    githubOrganization: githubOrganization
    githubTopic: githubTopic
    githubRepositories: githubRepositories
    jiraBaseUrl: jiraBaseUrl
    jiraEmail: jiraEmail
    jiraProjects: jiraProjects
    serviceNowBaseUrl: serviceNowBaseUrl
    serviceNowUsername: serviceNowUsername
    githubIssuesRepositories: githubIssuesRepositories
    entraAppTags: entraAppTags
    azureSubscriptions: azureSubscriptions
    documentsPath: documentsPath
    serviceBusEvents: serviceBusEvents
    eventsTopic: eventsTopic
    deployerPrincipalId: deployerPrincipalId
  }
}

output AZURE_RESOURCE_GROUP string = group.name
output AZURE_FUNCTION_APP_NAME string = resources.outputs.functionAppName
output AZURE_KEY_VAULT_NAME string = resources.outputs.keyVaultName
output AIMS_SIGNING_KEY_ID string = resources.outputs.signingKeyId
output AIMS_EVIDENCE_CONTAINER_URL string = resources.outputs.evidenceContainerUrl
output AIMS_MANAGED_IDENTITY_CLIENT_ID string = resources.outputs.identityClientId
output AIMS_MANAGED_IDENTITY_PRINCIPAL_ID string = resources.outputs.identityPrincipalId
output AIMS_DOCUMENTS_CONTAINER_URL string = resources.outputs.documentsContainerUrl
output AIMS_STORAGE_ACCOUNT_NAME string = resources.outputs.storageAccountName
