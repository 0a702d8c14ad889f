using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Qraft.GraphQL;
using Qraft.Mail;
using Qraft.Observability;
using Qraft.Security;
using Qraft.Users;

namespace Qraft.Tests.Fakes;

/// <summary>
/// The account and session rules composed as the app composes them (<c>AddQraftSecurity</c>, <c>AddQraftAccounts</c>),
/// with the three stores in memory and a fake clock: unit tests of the logic, no storage, no HTTP. The real hasher
/// runs, at a low iteration count.
/// </summary>
internal sealed class InMemoryAccounts : IDisposable
{
    public const string SigningKey = "qraft-test-signing-key-0123456789abcdef";

    public const string Staff = "staff@example.com";

    public const int Iterations = 1000;

    private readonly IHost _host;

    public InMemoryAccounts()
    {
        RefreshTokens = new InMemoryRefreshTokens(Time, TimeSpan.FromDays(7));
        Outbox = new InMemoryMailOutbox(Time);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Jwt:SigningKey"] = SigningKey,
            ["Qraft:PasswordIterations"] = Iterations.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Qraft:StaffEmails:0"] = Staff,
        });
        builder.Services.AddSingleton<TimeProvider>(Time);
        builder.Services.AddSingleton<QraftMetrics>();
        builder.Services.AddSingleton<IUserStore>(Users);
        builder.Services.AddSingleton<ILoginThrottle>(Throttle);
        builder.Services.AddSingleton<IRefreshTokens>(RefreshTokens);
        builder.Services.AddSingleton<IEmailTokens>(new InMemoryEmailTokens(Time));
        builder.Services.AddSingleton<IMailOutbox>(Outbox);
        builder.Services.AddSingleton<AuthResolvers>();
        builder.AddQraftSecurity();
        builder.AddQraftMail();
        builder.AddQraftAccounts();
        _host = builder.Build();
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2022, 2, 11, 4, 22, 55, TimeSpan.Zero));

    public InMemoryUserStore Users { get; } = new();

    public InMemoryLoginThrottle Throttle { get; } = new();

    public InMemoryRefreshTokens RefreshTokens { get; }

    /// <summary>Mail is off here (no SMTP host), so nothing is queued; the outbox only completes the composition.</summary>
    public InMemoryMailOutbox Outbox { get; }

    public Accounts Accounts => Get<Accounts>();

    public AuthResolvers Resolvers => Get<AuthResolvers>();

    public IAccessTokens AccessTokens => Get<IAccessTokens>();

    public ISessionRevocation Sessions => Get<ISessionRevocation>();

    public IPasswordHasher Hasher => Get<IPasswordHasher>();

    public QraftMetrics Metrics => Get<QraftMetrics>();

    /// <summary>Password hashes and verifications done so far (the hashing histogram's count).</summary>
    public long Hashes => (long)Metrics.PasswordHashes.Count;

    /// <summary>A request as the transport builds it, from a client at a documentation address.</summary>
    public GraphQLRequestContext Request(string? authorization = null) =>
        new(isGet: false, authorization, "192.0.2.7", AccessTokens);

    public async Task<User> SignUpAsync(string email, string password = "correct horse battery")
    {
        var result = await Accounts.SignUpAsync(email, password, CancellationToken.None);
        return result.User ?? throw new InvalidOperationException($"sign-up of {email} gave {result.Outcome}");
    }

    public void Dispose() => _host.Dispose();

    private T Get<T>()
        where T : notnull => _host.Services.GetRequiredService<T>();
}
