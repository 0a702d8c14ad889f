// The one storage account: the app's tables (users, refresh tokens, login throttling), the Functions host's own
// blobs (keys, locks) and the Flex Consumption deployment-package container. Identities only: shared keys are off.

param name string

param location string

param tags object

@description('Storage redundancy. ZRS survives a zone outage in regions that have zones.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param skuName string

@description('Tables the app uses; it also creates them on first use, so this only makes them visible from day one.')
param tableNames string[]

@description('Blob container that holds the deployment package Flex Consumption runs from.')
param deploymentContainerName string

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // Every client (the host, deployment, the app) authenticates with Microsoft Entra ID, so no key exists to leak.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowCrossTenantReplication: false
  }

  resource blobService 'blobServices' = {
    name: 'default'

    resource deploymentContainer 'containers' = {
      name: deploymentContainerName
      properties: {
        publicAccess: 'None'
      }
    }
  }

  resource tableService 'tableServices' = {
    name: 'default'

    resource appTables 'tables' = [
      for tableName in tableNames: {
        name: tableName
      }
    ]
  }
}

output name string = account.name

@description('Blob URL of the deployment container, as Flex Consumption expects it.')
output deploymentContainerUrl string = '${account.properties.primaryEndpoints.blob}${deploymentContainerName}'

@description('Table endpoint (https://<account>.table.core.windows.net/ in the public cloud): the app setting TableStorage.')
output tableEndpoint string = account.properties.primaryEndpoints.table
