using GraphQL.Types;

namespace Qraft.GraphQL.Types;

public sealed class CreateUserType : ObjectGraphType<CreateUserPayload>
{
    public CreateUserType()
    {
        Name = "CreateUser";
        Field<UserType>("user").Resolve(c => c.Source.User);
    }
}

public sealed class LoginType : ObjectGraphType<LoginPayload>
{
    public LoginType()
    {
        Name = "Login";
        Field<NonNullGraphType<StringGraphType>>("token").Resolve(c => c.Source.Token);
        Field<NonNullGraphType<GenericScalarGraphType>>("payload").Resolve(c => c.Source.Payload);
        Field<NonNullGraphType<IntGraphType>>("refreshExpiresIn")
            .Description("When the refresh token expires, in seconds since the epoch (as django-graphql-jwt).")
            .Resolve(c => c.Source.RefreshExpiresIn);
        Field<NonNullGraphType<StringGraphType>>("refreshToken").Resolve(c => c.Source.RefreshToken);
        Field<UserType>("user").Resolve(c => c.Source.User);
    }
}

public sealed class VerifyTokenType : ObjectGraphType<VerifyTokenPayload>
{
    public VerifyTokenType()
    {
        Name = "VerifyToken";
        Field<NonNullGraphType<GenericScalarGraphType>>("payload").Resolve(c => c.Source.Payload);
    }
}

public sealed class RefreshTokenType : ObjectGraphType<RefreshTokenPayload>
{
    public RefreshTokenType()
    {
        Name = "RefreshToken";
        Field<NonNullGraphType<StringGraphType>>("token").Resolve(c => c.Source.Token);
        Field<NonNullGraphType<GenericScalarGraphType>>("payload").Resolve(c => c.Source.Payload);
        Field<NonNullGraphType<IntGraphType>>("refreshExpiresIn").Resolve(c => c.Source.RefreshExpiresIn);
        Field<StringGraphType>("refreshToken").Resolve(c => c.Source.RefreshToken);
    }
}

public sealed class RevokeTokenType : ObjectGraphType<RevokeTokenPayload>
{
    public RevokeTokenType()
    {
        Name = "RevokeToken";
        Field<NonNullGraphType<IntGraphType>>("revoked").Resolve(c => c.Source.Revoked);
    }
}

/// <summary>One declaration for each change whose payload is only its success, named after its mutation as Graphene does.</summary>
public abstract class DoneType : ObjectGraphType<DonePayload>
{
    protected DoneType(string name)
    {
        Name = name;
        Field<NonNullGraphType<BooleanGraphType>>("ok").Resolve(c => c.Source.Ok);
    }
}

/// <summary>The answer of every mail flow: <c>ok</c> is always true when there is no error, so it tells nothing about the account.</summary>
public sealed class MailFlowType() : DoneType("MailFlow");

public sealed class SignOutEverywhereType() : DoneType("SignOutEverywhere");

public sealed class DeleteAccountType() : DoneType("DeleteAccount");
