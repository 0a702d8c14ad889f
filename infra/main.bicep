// Qraft on Azure: the unchanged function app on Flex Consumption, users in Table Storage, Application Insights over
// a Log Analytics workspace, the JWT signing key in Key Vault. Every connection uses the app's managed identity;
// no storage key exists anywhere. Deploy: README.md, "Deploy to Azure".
targetScope = 'resourceGroup'

@description('Prefix for every resource name: lowercase letters and digits, starting with a letter.')
@minLength(2)
@maxLength(10)
param namePrefix string = 'qraft'

@description('Region for every resource; it must offer Flex Consumption.')
param location string = resourceGroup().location

@description('Hosting plan SKU. Flex Consumption (FC1) scales per instance and supports identity-only storage.')
@allowed([
  'FC1'
])
param planSku string = 'FC1'

@description('Flex Consumption runtime version for dotnet-isolated. Check the region with `az functionapp list-flexconsumption-runtimes --location <region> --runtime dotnet-isolated`.')
param runtimeVersion string = '10.0'

@description('Memory per instance in MB; Flex gives CPU in proportion, and password hashing is CPU-bound.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Upper bound for scale-out, which also caps Table Storage load and cost.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Storage redundancy.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSku string = 'Standard_LRS'

@description('Days Log Analytics keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('HS256 signing key (at least 32 bytes, e.g. `openssl rand -base64 48`); stored only in Key Vault. Required with HS256; with ES256/RS256 optional, and then it only verifies the HS256 tokens issued before the switch.')
@secure()
param jwtSigningKey string = ''

@description('SMTP server for verification and reset mail; empty: no mail. Azure Communication Services: smtp.azurecommunication.net (port 587, STARTTLS).')
param smtpHost string = ''

@description('SMTP username; for Azure Communication Services `<ACS resource name>.<Entra app id>.<tenant id>` or an SMTP username of the resource.')
param smtpUsername string = ''

@description('SMTP password (for Azure Communication Services the Entra app\'s client secret); stored only in Key Vault.')
@secure()
param smtpPassword string = ''

@description('Sender address, of a domain verified on the Email Communication resource, e.g. DoNotReply@example.com.')
param mailFrom string = ''

@description('Public URL the links in mail start with, e.g. https://<defaultHostName>; required with smtpHost.')
param mailLinkBaseUrl string = ''

@description('Access-token algorithm: HS256 (the original\'s tokens) or ES256/RS256, whose public keys are published at /.well-known/jwks.json.')
@allowed([
  'HS256'
  'ES256'
  'RS256'
])
param jwtAlgorithm string = 'HS256'

@description('kid of jwtPrivateKey, written in every ES256/RS256 token header; a new kid for every new key.')
param jwtKeyId string = ''

@description('ES256 (P-256) or RS256 (2048+ bit) private key as PKCS#8 PEM; stored only in Key Vault. Unused with HS256.')
@secure()
param jwtPrivateKey string = ''

// ARM has no conditional parameter rules, so the checks run as expressions that fail the deployment before anything
// is created; the lengths are characters, which for these ASCII inputs are the bytes the app counts.
var signingKeyIsUsable = (empty(jwtSigningKey) && jwtAlgorithm != 'HS256') || length(jwtSigningKey) >= 32
var checkedSigningKey = signingKeyIsUsable
  ? jwtSigningKey
  : fail('jwtSigningKey must be at least 32 characters: it is required with jwtAlgorithm HS256, and optional with ES256/RS256.')
var checkedPrivateKey = jwtAlgorithm == 'HS256' || (!empty(jwtPrivateKey) && !empty(jwtKeyId))
  ? jwtPrivateKey
  : fail('jwtAlgorithm ${jwtAlgorithm} needs jwtPrivateKey (PKCS#8 PEM) and jwtKeyId.')

param tags object = {
  app: 'qraft'
}

// Deterministic per resource group, so a redeployment updates rather than duplicates, and global names
// (storage, vault, app host name) do not collide across groups.
var suffix = uniqueString(resourceGroup().id, namePrefix)

var names = {
  storage: toLower(take('${namePrefix}${suffix}', 24))
  keyVault: take('${namePrefix}-kv-${suffix}', 24)
  workspace: '${namePrefix}-log-${suffix}'
  applicationInsights: '${namePrefix}-appi-${suffix}'
  plan: '${namePrefix}-plan-${suffix}'
  functionApp: '${namePrefix}-func-${suffix}'
}

// Table names as the app builds them with an empty Qraft__Storage__TablePrefix.
var tableNames = [
  'users'
  'refreshtokens'
  'loginthrottle'
  'leases'
  'emailtokens'
  'mailoutbox'
]

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: names.workspace
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
    retentionInDays: logRetentionInDays
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: names.storage
    location: location
    tags: tags
    skuName: storageSku
    tableNames: tableNames
    deploymentContainerName: 'app-package'
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: names.keyVault
    location: location
    tags: tags
    jwtSigningKey: checkedSigningKey
    smtpPassword: smtpPassword
    jwtPrivateKey: checkedPrivateKey
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: tags
    planSku: planSku
    runtimeVersion: runtimeVersion
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    storageAccountName: storage.outputs.name
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    tableEndpoint: storage.outputs.tableEndpoint
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    // Empty without an HMAC key: the app then has no Jwt__SigningKey rather than a reference to a missing secret.
    signingKeySecretUri: empty(checkedSigningKey) ? '' : keyVault.outputs.signingKeySecretUri
    smtpHost: smtpHost
    smtpUsername: smtpUsername
    smtpLoginSecretUri: keyVault.outputs.smtpLoginSecretUri
    mailFrom: mailFrom
    mailLinkBaseUrl: mailLinkBaseUrl
    jwtAlgorithm: jwtAlgorithm
    jwtKeyId: jwtKeyId
    privateKeySecretUri: keyVault.outputs.privateKeySecretUri
  }
}

// The identity exists only once the app does, so its roles come after it; the README ("Deploy to Azure") says why the app is
// restarted once the assignments have propagated.
module roleAssignments 'modules/roleassignments.bicep' = {
  name: 'roleassignments'
  params: {
    principalId: functionApp.outputs.principalId
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
  }
}

output functionAppName string = functionApp.outputs.name

output defaultHostName string = functionApp.outputs.defaultHostName

output storageAccountName string = storage.outputs.name

output keyVaultName string = keyVault.outputs.name
