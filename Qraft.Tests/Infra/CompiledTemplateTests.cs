using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Qraft.Observability;
using Qraft.Storage;

namespace Qraft.Tests.Infra;

/// <summary>What the deployed platform must look like, read from the compiled ARM template.</summary>
public sealed class CompiledTemplateTests(CompiledTemplate template) : IClassFixture<CompiledTemplate>
{
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";

    private JsonObject Site => template.Single("Microsoft.Web/sites");

    private Dictionary<string, string> AppSettings =>
        Site["properties"]!["siteConfig"]!["appSettings"]!.AsArray()
            .ToDictionary(setting => (string)setting!["name"]!, setting => (string)setting!["value"]!);

    [Fact]
    public void FunctionAppIsHttpsOnlyWithTls12AndNoFtp()
    {
        var properties = Site["properties"]!;
        Assert.True((bool)properties["httpsOnly"]!);
        Assert.Equal("1.2", (string?)properties["siteConfig"]!["minTlsVersion"]);
        Assert.Equal("1.2", (string?)properties["siteConfig"]!["scmMinTlsVersion"]);
        Assert.Equal("Disabled", (string?)properties["siteConfig"]!["ftpsState"]);

        var credentialPolicies = template.Resources("Microsoft.Web/sites/basicPublishingCredentialsPolicies");
        Assert.Equal(2, credentialPolicies.Count);
        Assert.Contains(credentialPolicies, policy => ((string)policy["name"]!).EndsWith("'ftp')]", StringComparison.Ordinal));
        Assert.Contains(credentialPolicies, policy => ((string)policy["name"]!).EndsWith("'scm')]", StringComparison.Ordinal));
        Assert.All(credentialPolicies, policy => Assert.False((bool)policy["properties"]!["allow"]!));
    }

    [Fact]
    public void FunctionAppRunsTheDotnetIsolatedWorkerOnFlexConsumption()
    {
        var plan = template.Single("Microsoft.Web/serverfarms");
        Assert.Equal("FlexConsumption", (string?)plan["sku"]!["tier"]);
        Assert.Equal("[parameters('planSku')]", (string?)plan["sku"]!["name"]);
        Assert.Equal("FC1", (string?)template.Root["parameters"]!["planSku"]!["defaultValue"]);

        var runtime = Site["properties"]!["functionAppConfig"]!["runtime"]!;
        Assert.Equal("dotnet-isolated", (string?)runtime["name"]);
        Assert.Equal("10.0", (string?)template.Root["parameters"]!["runtimeVersion"]!["defaultValue"]);

        // Flex Consumption takes the worker runtime from functionAppConfig and rejects these settings.
        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", AppSettings.Keys);
        Assert.DoesNotContain("FUNCTIONS_EXTENSION_VERSION", AppSettings.Keys);
        Assert.DoesNotContain("QRAFT_INSTANCE", AppSettings.Keys);
        Assert.Equal("SystemAssigned", (string?)Site["identity"]!["type"]);
    }

    [Fact]
    public void MetricsFunctionIsOffWhereNoEdgeGuardsIt() =>
        Assert.Equal("true", AppSettings["AzureWebJobs.metrics.Disabled"]);

    [Fact]
    public void SigningKeyIsAKeyVaultReferenceToASecretOnlyTheAppCanRead()
    {
        Assert.Equal(
            "[if(empty(parameters('signingKeySecretUri')), '', format('@Microsoft.KeyVault(SecretUri={0})', parameters('signingKeySecretUri')))]",
            AppSettings["Jwt__SigningKey"]);

        var vault = template.Single("Microsoft.KeyVault/vaults");
        Assert.True((bool)vault["properties"]!["enableRbacAuthorization"]!);
        var secrets = template.Resources("Microsoft.KeyVault/vaults/secrets");
        var secret = Assert.Single(secrets, s => ((string?)s["name"])!.EndsWith("'Jwt--SigningKey')]", StringComparison.Ordinal));
        Assert.Equal("[not(empty(parameters('jwtSigningKey')))]", (string?)secret["condition"]);
        Assert.Equal(3, secrets.Count);
        Assert.Contains(secrets, s => ((string?)s["name"])!.EndsWith("'Qraft--Mail--Password')]", StringComparison.Ordinal) && s["condition"] is not null);
        Assert.Equal("[parameters('jwtSigningKey')]", (string?)secret["properties"]!["value"]);
        Assert.Equal("securestring", (string?)template.Root["parameters"]!["jwtSigningKey"]!["type"]);
        Assert.Equal("securestring", (string?)template.Module("keyvault")["parameters"]!["jwtSigningKey"]!["type"]);

        Assert.Contains(RoleDefinitionIds(), id => id.Contains(KeyVaultSecretsUser, StringComparison.Ordinal));
    }

    [Fact]
    public void HmacKeyIsRequiredAndAtLeast32CharactersWithHs256AndOptionalWithEs256OrRs256()
    {
        // ARM has no conditional parameter rules: the empty default lets ES256/RS256 deployments leave the key out,
        // and the check, which fails the deployment before any resource is made, is what the vault is given.
        var parameter = template.Root["parameters"]!["jwtSigningKey"]!;
        Assert.Equal("", (string?)parameter["defaultValue"]);
        Assert.Null(parameter["minLength"]);

        var variables = template.Root["variables"]!;
        Assert.Equal(
            "[or(and(empty(parameters('jwtSigningKey')), not(equals(parameters('jwtAlgorithm'), 'HS256'))), greaterOrEquals(length(parameters('jwtSigningKey')), 32))]",
            (string?)variables["signingKeyIsUsable"]);
        var check = (string)variables["checkedSigningKey"]!;
        Assert.StartsWith("[if(variables('signingKeyIsUsable'), parameters('jwtSigningKey'), fail('jwtSigningKey must be at least 32 characters", check, StringComparison.Ordinal);
        Assert.Contains("required with jwtAlgorithm HS256", check, StringComparison.Ordinal);
        Assert.Equal("[variables('checkedSigningKey')]", (string?)ModuleParameter("keyvault", "jwtSigningKey")["value"]);

        Assert.Equal(
            "[if(empty(variables('checkedSigningKey')), createObject('value', ''), createObject('value', reference(resourceId('Microsoft.Resources/deployments', 'keyvault'), '2025-04-01').outputs.signingKeySecretUri.value))]",
            (string?)Deployment("functionapp")["properties"]!["parameters"]!["signingKeySecretUri"]);
    }

    [Fact]
    public void Es256OrRs256DeploymentsFailWithoutAPrivateKeyAndKeyId()
    {
        var check = (string)template.Root["variables"]!["checkedPrivateKey"]!;
        Assert.Equal(
            "[if(or(equals(parameters('jwtAlgorithm'), 'HS256'), and(not(empty(parameters('jwtPrivateKey'))), not(empty(parameters('jwtKeyId'))))), parameters('jwtPrivateKey'), fail(format('jwtAlgorithm {0} needs jwtPrivateKey (PKCS#8 PEM) and jwtKeyId.', parameters('jwtAlgorithm'))))]",
            check);
        Assert.Equal("[variables('checkedPrivateKey')]", (string?)ModuleParameter("keyvault", "jwtPrivateKey")["value"]);
    }

    [Fact]
    public void AsymmetricPrivateKeyIsAKeyVaultSecretMadeOnlyWhenGivenAndReferencedOnlyOutsideHs256()
    {
        var secret = Assert.Single(
            template.Resources("Microsoft.KeyVault/vaults/secrets"),
            s => ((string)s["name"]!).EndsWith("'Jwt--PrivateKey')]", StringComparison.Ordinal));

        Assert.Equal("[not(empty(parameters('jwtPrivateKey')))]", (string?)secret["condition"]);
        Assert.Equal("[parameters('jwtPrivateKey')]", (string?)secret["properties"]!["value"]);
        Assert.Equal("securestring", (string?)template.Root["parameters"]!["jwtPrivateKey"]!["type"]);
        Assert.Equal("HS256", (string?)template.Root["parameters"]!["jwtAlgorithm"]!["defaultValue"]);
        Assert.Equal("[parameters('jwtAlgorithm')]", AppSettings["Jwt__Algorithm"]);
        Assert.Equal(
            "[if(equals(parameters('jwtAlgorithm'), 'HS256'), '', format('@Microsoft.KeyVault(SecretUri={0})', parameters('privateKeySecretUri')))]",
            AppSettings["Jwt__PrivateKey"]);
    }

    [Fact]
    public void NoStorageKeyOrInstrumentationKeyAppearsInAnyAppSetting()
    {
        Assert.DoesNotContain("listKeys(", template.Text, StringComparison.OrdinalIgnoreCase);
        Assert.All(AppSettings.Values, value =>
        {
            Assert.DoesNotContain("AccountKey", value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("DefaultEndpointsProtocol", value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("SharedAccessSignature", value, StringComparison.OrdinalIgnoreCase);
        });
        Assert.DoesNotContain("AzureWebJobsStorage", AppSettings.Keys);
        Assert.DoesNotContain("APPINSIGHTS_INSTRUMENTATIONKEY", AppSettings.Keys);
        var applicationInsights = AppSettings["APPLICATIONINSIGHTS_CONNECTION_STRING"];
        Assert.StartsWith("[reference(resourceId('Microsoft.Insights/components'", applicationInsights, StringComparison.Ordinal);
        Assert.EndsWith(".ConnectionString]", applicationInsights, StringComparison.Ordinal);

        var account = template.Single("Microsoft.Storage/storageAccounts");
        Assert.False((bool)account["properties"]!["allowSharedKeyAccess"]!);
        Assert.Equal("TLS1_2", (string?)account["properties"]!["minimumTlsVersion"]);
    }

    [Fact]
    public void StorageIsReachedThroughTheAppsIdentity()
    {
        Assert.Equal("[parameters('storageAccountName')]", AppSettings["AzureWebJobsStorage__accountName"]);
        Assert.Equal("managedidentity", AppSettings["AzureWebJobsStorage__credential"]);

        // TableStorage is the account's table endpoint, which the app treats as "use the managed identity".
        Assert.Equal("[parameters('tableEndpoint')]", AppSettings["TableStorage"]);
        Assert.Contains(".primaryEndpoints.table", (string?)template.Module("storage")["outputs"]!["tableEndpoint"]!["value"], StringComparison.Ordinal);

        var deploymentStorage = Site["properties"]!["functionAppConfig"]!["deployment"]!["storage"]!;
        Assert.Equal("blobContainer", (string?)deploymentStorage["type"]);
        Assert.Equal("SystemAssignedIdentity", (string?)deploymentStorage["authentication"]!["type"]);

        var tables = template.Resources("Microsoft.Storage/storageAccounts/tableServices/tables");
        Assert.NotEmpty(tables);

        var roles = RoleDefinitionIds();
        Assert.Contains(roles, id => id.Contains(StorageBlobDataOwner, StringComparison.Ordinal));
        Assert.Contains(roles, id => id.Contains(StorageTableDataContributor, StringComparison.Ordinal));
    }

    [Fact]
    public void TheTemplateCreatesExactlyTheTablesTheAppUses()
    {
        // Constructing the clients does no I/O.
        var app = new StorageTables(
            Options.Create(new TableStorageOptions { ConnectionString = TableStorageOptions.DevelopmentConnectionString }),
            new Azure.Identity.DefaultAzureCredential(),
            new QraftMetrics());
        var used = typeof(StorageTables).GetProperties()
            .Where(property => property.PropertyType == typeof(StorageTable))
            .Select(property => ((StorageTable)property.GetValue(app)!).Name);

        var created = template.Root["variables"]!["tableNames"]!.AsArray().Select(name => (string)name!);

        Assert.Equal(used.Order(), created.Order());
    }

    [Fact]
    public void ApplicationInsightsSendsToALogAnalyticsWorkspace()
    {
        var component = template.Single("Microsoft.Insights/components");
        Assert.Equal("LogAnalytics", (string?)component["properties"]!["IngestionMode"]);
        Assert.Contains("Microsoft.OperationalInsights/workspaces", (string?)component["properties"]!["WorkspaceResourceId"], StringComparison.Ordinal);
    }

    [Fact]
    public void OutputsNameWhatTheDeployStepsNeed()
    {
        var outputs = template.Root["outputs"]!.AsObject().Select(pair => pair.Key).Order(StringComparer.Ordinal);

        Assert.Equal(["defaultHostName", "functionAppName", "keyVaultName", "storageAccountName"], outputs);
    }

    /// <summary>
    /// Role definition ids of every role assignment; an assignment inside a copy loop picks its role from the loop's
    /// array, so the whole module text is searched for those.
    /// </summary>
    private JsonObject Deployment(string name) =>
        Assert.Single(template.Resources("Microsoft.Resources/deployments"), deployment => (string?)deployment["name"] == name);

    private JsonNode ModuleParameter(string deploymentName, string parameter) =>
        Deployment(deploymentName)["properties"]!["parameters"]![parameter]!;

    private List<string> RoleDefinitionIds() =>
        template.Resources("Microsoft.Authorization/roleAssignments")
            .Select(assignment => (string)assignment["properties"]!["roleDefinitionId"]!)
            .Append(template.Module("roleassignments").ToJsonString())
            .ToList();
}
