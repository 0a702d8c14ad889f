using Qraft.Hosting;
using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.Users;

/// <summary>SPEC §3 compatibility 6: the original's users move over with their Django 3.2 hashes and log in.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class DjangoUserImportTests(AzuriteFixture azurite)
{
    private static readonly string DumpData = Path.Combine(AppContext.BaseDirectory, "Users", "Data", "django32-users.json");

    [Fact]
    public async Task ImportedUsersLogInWithTheirOldPasswordsAndGetFreshHashes()
    {
        var settings = QraftTestApp.SharedSettings(azurite.ConnectionString);

        var (exit, output, errors) = await ImportAsync(settings);

        Assert.Equal(1, exit);
        Assert.Equal("imported 3, unchanged 0, rejected 3", output.Trim());
        Assert.Contains("pk 4", errors, StringComparison.Ordinal);
        Assert.Contains("pk 5", errors, StringComparison.Ordinal);
        Assert.Contains("pk 6", errors, StringComparison.Ordinal);

        await using var app = await QraftTestApp.StartAsync(settings);
        foreach (var (email, password) in new[]
        {
            ("letmein@example.com", "lètmein"),
            ("secure.user@example.com", "S3cure-Passw0rd!"),
            ("old-django@example.com", "lètmein"),
        })
        {
            var token = await app.Client.LoginAsync(email, password);
            var me = await app.Client.PostAsync("{ me { id email password dateJoined } }", authorization: $"JWT {token}");
            Assert.StartsWith("pbkdf2_sha256$1000$", me.Data("me")!["password"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        var first = await app.Client.PostAsync(
            "{ me { id dateJoined } }", authorization: $"JWT {await app.Client.LoginAsync("letmein@example.com", "lètmein")}");
        Assert.Equal("1", first.Data("me")!["id"]!.GetValue<string>());
        Assert.Equal("2022-02-11T04:20:00.100000+00:00", first.Data("me")!["dateJoined"]!.GetValue<string>());
    }

    [Fact]
    public async Task ImportingTheSameFileTwiceChangesNothing()
    {
        var settings = QraftTestApp.SharedSettings(azurite.ConnectionString);
        await ImportAsync(settings);

        var (_, output, _) = await ImportAsync(settings);

        Assert.Equal("imported 0, unchanged 3, rejected 3", output.Trim());
    }

    private static async Task<(int Exit, string Output, string Errors)> ImportAsync(IReadOnlyDictionary<string, string?> settings)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = await ImportUsersCommand.RunAsync(
            [
                ImportUsersCommand.Name, DumpData,
                "--TableStorage", settings["TableStorage"]!,
                "--Qraft:Storage:TablePrefix", settings["Qraft:Storage:TablePrefix"]!,
            ],
            output,
            errors,
            CancellationToken.None);
        return (exit, output.ToString(), errors.ToString());
    }
}
