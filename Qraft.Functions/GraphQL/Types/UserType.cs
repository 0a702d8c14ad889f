using GraphQL.Types;

namespace Qraft.GraphQL.Types;

/// <summary>The fields the original exposed, and whether the address is verified.</summary>
public sealed class UserType : ObjectGraphType<UserView>
{
    public UserType()
    {
        Name = "User";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.User.Id);
        Field<NonNullGraphType<StringGraphType>>("email").Resolve(c => c.Source.User.Email);
        Field<StringGraphType>("password")
            .Description("The stored hash; null unless this is the caller's own record.")
            .Resolve(c => c.Source.IsSelf ? c.Source.User.PasswordHash : null);
        Field<DjangoDateTimeGraphType>("lastLogin").Resolve(c => c.Source.User.LastLogin);
        Field<NonNullGraphType<DjangoDateTimeGraphType>>("dateJoined").Resolve(c => c.Source.User.DateJoined);
        Field<NonNullGraphType<BooleanGraphType>>("emailVerified")
            .Description("The owner followed a verification or password-reset link mailed to this address.")
            .Resolve(c => c.Source.User.EmailVerified);
    }
}
