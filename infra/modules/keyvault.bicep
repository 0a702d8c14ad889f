// Key Vault in RBAC mode holding the JWT signing key; the app reads it through a Key Vault reference.

param name string

param location string

param tags object

@description('HMAC signing key for access tokens, at least 32 bytes; empty only with ES256/RS256, and then no secret is made.')
@secure()
param jwtSigningKey string

@description('SMTP password; empty: no secret is written.')
@secure()
param smtpPassword string = ''

@description('ES256/RS256 private key as PEM; empty with HS256, and then no secret is made.')
@secure()
param jwtPrivateKey string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    // Access through Azure role assignments, not vault access policies: one permission model for every resource here.
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }

  // "--" is how a Key Vault secret name spells the configuration separator "__" (names allow only letters, digits, dashes).
  resource signingKey 'secrets' = if (!empty(jwtSigningKey)) {
    name: 'Jwt--SigningKey'
    properties: {
      value: jwtSigningKey
      contentType: 'text/plain'
    }
  }

  resource mailPassword 'secrets' = if (!empty(smtpPassword)) {
    name: 'Qraft--Mail--Password'
    properties: {
      value: smtpPassword
      contentType: 'text/plain'
    }
  }

  resource privateKey 'secrets' = if (!empty(jwtPrivateKey)) {
    name: 'Jwt--PrivateKey'
    properties: {
      value: jwtPrivateKey
      contentType: 'application/x-pem-file'
    }
  }
}

output name string = vault.name

@description('Versionless secret URI: the app picks up a rotated key without a redeployment. Spelled out, as the secret is not made without an HMAC key (ES256/RS256).')
output signingKeySecretUri string = '${vault.properties.vaultUri}secrets/Jwt--SigningKey'

@description('Versionless URI of the SMTP password secret (it exists only when a password was given).')
output smtpLoginSecretUri string = '${vault.properties.vaultUri}secrets/Qraft--Mail--Password'

@description('Versionless URI of the private-key secret, spelled out so that it exists even when the secret is not made (HS256).')
output privateKeySecretUri string = '${vault.properties.vaultUri}secrets/Jwt--PrivateKey'
