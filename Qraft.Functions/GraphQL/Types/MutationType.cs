using GraphQL;
using GraphQL.Types;

namespace Qraft.GraphQL.Types;

public sealed class MutationType : ObjectGraphType
{
    /// <summary>
    /// Fields that hash a password weigh far more in the complexity budget, so one request cannot alias its way to
    /// hundreds of hashes.
    /// </summary>
    public const double HashingFieldImpact = 50;

    public MutationType(AuthResolvers resolvers)
    {
        Name = "Mutation";
        Field<CreateUserType>("createUser")
            .Argument<NonNullGraphType<StringGraphType>>("email")
            .Argument<NonNullGraphType<StringGraphType>>("password")
            .WithComplexityImpact(HashingFieldImpact)
            .ResolveAsync(async c => await resolvers.CreateUserAsync(
                c.GetArgument<string>("email"), c.GetArgument<string>("password"), c.CancellationToken));
        Field<LoginType>("login")
            .Description("Refuses a caller that already sends a valid token (ALREADY_LOGGED_IN), as the original did.")
            .Argument<NonNullGraphType<StringGraphType>>("email")
            .Argument<NonNullGraphType<StringGraphType>>("password")
            .WithComplexityImpact(HashingFieldImpact)
            .ResolveAsync(async c => await resolvers.LoginAsync(
                c.Request(), c.GetArgument<string>("email"), c.GetArgument<string>("password"), refuseIfLoggedIn: true, c.CancellationToken));
        Field<LoginType>("tokenAuth")
            .Description("django-graphql-jwt's stock mutation: as login, without the already-logged-in check.")
            .Argument<NonNullGraphType<StringGraphType>>("email")
            .Argument<NonNullGraphType<StringGraphType>>("password")
            .WithComplexityImpact(HashingFieldImpact)
            .ResolveAsync(async c => await resolvers.LoginAsync(
                c.Request(), c.GetArgument<string>("email"), c.GetArgument<string>("password"), refuseIfLoggedIn: false, c.CancellationToken));
        Field<VerifyTokenType>("verifyToken")
            .Argument<NonNullGraphType<StringGraphType>>("token")
            .ResolveAsync(async c => await resolvers.VerifyTokenAsync(c.GetArgument<string>("token"), c.CancellationToken));
        Field<RefreshTokenType>("refreshToken")
            .Description("`token`: the original's keep-alive refresh (same origIat). `refreshToken`: a long-running token, rotated on use.")
            .Argument<StringGraphType>("token")
            .Argument<StringGraphType>("refreshToken")
            .ResolveAsync(async c => await resolvers.RefreshAsync(
                c.GetArgument<string?>("token"), c.GetArgument<string?>("refreshToken"), c.CancellationToken));
        Field<MailFlowType>("requestPasswordReset")
            .Description("Mails a single-use reset link (30 min) if the account exists; the answer is the same either way.")
            .Argument<NonNullGraphType<StringGraphType>>("email")
            .ResolveAsync(async c => await resolvers.RequestPasswordResetAsync(c.Request(), c.GetArgument<string>("email"), c.CancellationToken));
        Field<MailFlowType>("resetPassword")
            .Description("Sets a new password with a mailed token, once, and ends the account's sessions.")
            .Argument<NonNullGraphType<StringGraphType>>("token")
            .Argument<NonNullGraphType<StringGraphType>>("newPassword")
            .WithComplexityImpact(HashingFieldImpact)
            .ResolveAsync(async c => await resolvers.ResetPasswordAsync(
                c.GetArgument<string>("token"), c.GetArgument<string>("newPassword"), c.CancellationToken));
        Field<MailFlowType>("verifyEmail")
            .Argument<NonNullGraphType<StringGraphType>>("token")
            .ResolveAsync(async c => await resolvers.VerifyEmailAsync(c.GetArgument<string>("token"), c.CancellationToken));
        Field<MailFlowType>("resendVerification")
            .Description("Mails a new verification link if the account exists and is unverified; the answer is the same either way.")
            .Argument<NonNullGraphType<StringGraphType>>("email")
            .ResolveAsync(async c => await resolvers.ResendVerificationAsync(c.Request(), c.GetArgument<string>("email"), c.CancellationToken));
        Field<RevokeTokenType>("revokeToken")
            .Argument<NonNullGraphType<StringGraphType>>("refreshToken")
            .ResolveAsync(async c => await resolvers.RevokeAsync(c.GetArgument<string>("refreshToken"), c.CancellationToken));
        AddAccountSelfService(resolvers);
    }

    /// <summary>Changes a signed-in caller makes to their own account (<c>Authorization: JWT &lt;token&gt;</c>).</summary>
    private void AddAccountSelfService(AuthResolvers resolvers)
    {
        Field<LoginType>("changePassword")
            .Description("Checks oldPassword (login throttle), sets newPassword (sign-up policy), ends every session and signs the caller in again.")
            .Argument<NonNullGraphType<StringGraphType>>("oldPassword")
            .Argument<NonNullGraphType<StringGraphType>>("newPassword")
            .WithComplexityImpact(2 * HashingFieldImpact)
            .ResolveAsync(async c => await resolvers.ChangePasswordAsync(
                c.Request(), c.GetArgument<string>("oldPassword"), c.GetArgument<string>("newPassword"), c.CancellationToken));
        Field<SignOutEverywhereType>("signOutEverywhere")
            .Description("Ends every session of the caller's account: all refresh tokens and every access token issued before now.")
            .ResolveAsync(async c => await resolvers.SignOutEverywhereAsync(c.Request(), c.CancellationToken));
        Field<DeleteAccountType>("deleteAccount")
            .Description("Checks password (login throttle), then deletes the account, its refresh tokens and its throttle count.")
            .Argument<NonNullGraphType<StringGraphType>>("password")
            .WithComplexityImpact(HashingFieldImpact)
            .ResolveAsync(async c => await resolvers.DeleteAccountAsync(c.Request(), c.GetArgument<string>("password"), c.CancellationToken));
    }
}
