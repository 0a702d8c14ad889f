// The function app on a Flex Consumption plan: dotnet-isolated worker, system-assigned identity, identity-based
// storage for the host and for deployment, secrets through Key Vault references, HTTPS and TLS 1.2 only, no FTP.

param name string

param planName string

param location string

param tags object

@description('Flex Consumption is the only SKU this module builds (FC1).')
@allowed([
  'FC1'
])
param planSku string

@description('Flex Consumption runtime version for dotnet-isolated.')
param runtimeVersion string

@description('Memory per instance; each instance gets CPU in proportion.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Upper bound for scale-out.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

param storageAccountName string

param deploymentContainerUrl string

param tableEndpoint string

param applicationInsightsName string

param signingKeySecretUri string

@description('Empty: mail is off and none of the mail settings are written.')
param smtpHost string = ''

param smtpUsername string = ''

param smtpLoginSecretUri string = ''

param mailFrom string = ''

param mailLinkBaseUrl string = ''

@allowed([
  'HS256'
  'ES256'
  'RS256'
])
param jwtAlgorithm string

param jwtKeyId string

param privateKeySecretUri string

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: planSku
  }
  properties: {
    // Flex Consumption runs on Linux only.
    reserved: true
  }
}

// FUNCTIONS_WORKER_RUNTIME and FUNCTIONS_EXTENSION_VERSION are absent on purpose: Flex Consumption takes the runtime
// from functionAppConfig.runtime and rejects them as app settings. QRAFT_INSTANCE is absent too, so X-Served-By
// names the instance's machine.
var appSettings = [
  // The host's own storage (keys, locks) through the app's identity; the credential is explicit so a later
  // user-assigned identity cannot be picked up by accident.
  {
    name: 'AzureWebJobsStorage__accountName'
    value: storageAccountName
  }
  {
    name: 'AzureWebJobsStorage__credential'
    value: 'managedidentity'
  }
  {
    name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
    value: applicationInsights.properties.ConnectionString
  }
  // An endpoint rather than a connection string: the app then authenticates with its managed identity.
  {
    name: 'TableStorage'
    value: tableEndpoint
  }
  {
    name: 'Jwt__SigningKey'
    value: empty(signingKeySecretUri) ? '' : '@Microsoft.KeyVault(SecretUri=${signingKeySecretUri})'
  }
  // With ES256/RS256 the private key comes from Key Vault through the same identity and role as the HMAC key, which,
  // when given, stays set so that HS256 tokens issued before the switch verify until they expire (see README). The app
  // takes an empty value as unset, so no deployment carries a reference to a secret that does not exist.
  {
    name: 'Jwt__Algorithm'
    value: jwtAlgorithm
  }
  {
    name: 'Jwt__KeyId'
    value: jwtKeyId
  }
  {
    name: 'Jwt__PrivateKey'
    value: jwtAlgorithm == 'HS256' ? '' : '@Microsoft.KeyVault(SecretUri=${privateKeySecretUri})'
  }
  // The package mount is read-only; /tmp is the instance's writable disk. Application Insights is the log of record.
  {
    name: 'Logging__File__Path'
    value: '/tmp/qraft/qraft_users.log'
  }
  // Locally HAProxy puts /metrics behind basic auth for Prometheus; here nothing scrapes it (Application Insights
  // collects metrics) and nothing would guard it, so the function is switched off and answers 404.
  {
    name: 'AzureWebJobs.metrics.Disabled'
    value: 'true'
  }
  // Mail: an empty host keeps it off. Azure Communication Services' SMTP endpoint takes STARTTLS on 587; the password
  // is a Key Vault reference, written only when mail is on (the secret exists only then).
  {
    name: 'Qraft__Mail__SmtpHost'
    value: smtpHost
  }
  {
    name: 'Qraft__Mail__SmtpPort'
    value: '587'
  }
  {
    name: 'Qraft__Mail__Security'
    value: 'StartTls'
  }
  {
    name: 'Qraft__Mail__Username'
    value: smtpUsername
  }
  {
    name: 'Qraft__Mail__Password'
    value: empty(smtpHost) ? '' : '@Microsoft.KeyVault(SecretUri=${smtpLoginSecretUri})'
  }
  {
    name: 'Qraft__Mail__From'
    value: mailFrom
  }
  {
    name: 'Qraft__Mail__LinkBaseUrl'
    value: mailLinkBaseUrl
  }
]

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      appSettings: appSettings
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'SystemAssignedIdentity'
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'dotnet-isolated'
        version: runtimeVersion
      }
    }
  }

  // Publishing goes through Microsoft Entra ID (az, func, GitHub OIDC); basic-auth FTP and SCM credentials stay off.
  resource ftpCredentials 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: {
      allow: false
    }
  }

  resource scmCredentials 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: {
      allow: false
    }
  }
}

output name string = site.name

output defaultHostName string = site.properties.defaultHostName

output principalId string = site.identity.principalId
