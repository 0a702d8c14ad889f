using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Qraft.Observability;
using Qraft.Security.Pbkdf2;

namespace Qraft.Security;

public static class SecurityServiceCollectionExtensions
{
    /// <summary>
    /// Password hashing and policy, and access tokens, with their settings (<c>Qraft__PasswordIterations</c>,
    /// <c>Qraft__PasswordHashing__Engine</c>, <c>Jwt__*</c>) checked when the host starts.
    /// </summary>
    public static IHostApplicationBuilder AddQraftSecurity(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<PasswordHashingOptions>()
            .Configure(options => options.PasswordIterations = PasswordHashingOptions.DefaultIterations)
            .BindConfiguration(PasswordHashingOptions.SectionName)
            .Validate(
                options => options.PasswordIterations is >= 1 and <= PasswordHashingOptions.MaxIterations,
                $"Qraft__PasswordIterations must be between 1 and {PasswordHashingOptions.MaxIterations}.")
            .ValidateOnStart();

        services.AddOptions<Pbkdf2EngineOptions>().BindConfiguration(Pbkdf2EngineOptions.SectionName).ValidateOnStart();
        services.AddSingleton(provider => Pbkdf2Engines.Choose(provider.GetRequiredService<IOptions<Pbkdf2EngineOptions>>().Value.Engine));
        services.AddSingleton(provider => provider.GetRequiredService<Pbkdf2EngineChoice>().Engine);
        services.TryAddSingleton<QraftMetrics>();
        services.AddHostedService<Pbkdf2EngineReport>();

        services.AddOptions<JwtOptions>()
            .Configure(options => options.AccessTokenLifetime = JwtOptions.DefaultAccessTokenLifetime)
            .BindConfiguration(JwtOptions.SectionName)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<JwtOptions>, JwtOptionsValidator>();

        services.AddSingleton<IPasswordHasher, DjangoPasswordHasher>();
        services.AddSingleton<PasswordHashingThreads>();
        services.AddSingleton<IPasswordPolicy, DjangoPasswordPolicy>();
        services.AddSingleton<AsymmetricJwtKeyRing>();
        services.AddSingleton(provider => new PublishedSigningKeys(
            provider.GetRequiredService<AsymmetricJwtKeyRing>(), provider.GetRequiredService<IOptions<JwtOptions>>()));
        services.AddSingleton<IAccessTokens, JwtAccessTokens>();
        return builder;
    }
}
