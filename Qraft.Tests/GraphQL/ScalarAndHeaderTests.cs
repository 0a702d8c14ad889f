using Qraft.GraphQL;
using Qraft.GraphQL.Types;

namespace Qraft.Tests.GraphQL;

public sealed class ScalarAndHeaderTests
{
    [Theory]
    [InlineData(637801501751552890L, "2022-02-11T04:22:55.155289+00:00")]
    [InlineData(637801501750000000L, "2022-02-11T04:22:55+00:00")]
    public void DateTimeIsPythonIsoformatOfUtc(long ticks, string expected) =>
        Assert.Equal(expected, DjangoDateTimeGraphType.Format(new DateTimeOffset(ticks, TimeSpan.Zero)));

    [Fact]
    public void DateTimeWithAnotherOffsetIsShownInUtc() =>
        Assert.Equal(
            "2022-02-11T04:22:55.155289+00:00",
            DjangoDateTimeGraphType.Format(new DateTimeOffset(637801501751552890L, TimeSpan.Zero).ToOffset(TimeSpan.FromHours(9))));

    [Theory]
    [InlineData("JWT abc.def.ghi", "abc.def.ghi")]
    [InlineData("jwt abc.def.ghi", "abc.def.ghi")]
    [InlineData("Bearer abc.def.ghi", "abc.def.ghi")]
    [InlineData("  JWT   abc.def.ghi  ", "abc.def.ghi")]
    [InlineData("JWT", null)]
    [InlineData("JWT a b", null)]
    [InlineData("Basic dXNlcjpwYXNz", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void AuthorizationHeaderIsReadAsDjangoGraphqlJwtDoesPlusBearer(string? header, string? token) =>
        Assert.Equal(token, GraphQLRequestContext.ParseAuthorization(header));
}
