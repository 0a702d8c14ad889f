using System.Globalization;
using GraphQL.Types;
using GraphQLParser.AST;

namespace Qraft.GraphQL.Types;

/// <summary>
/// graphene's <c>DateTime</c>: Python's <c>isoformat()</c> of an aware UTC datetime, e.g.
/// <c>2022-02-11T04:22:55.155289+00:00</c> (microseconds, omitted when zero, and a <c>+00:00</c> offset).
/// </summary>
public sealed class DjangoDateTimeGraphType : ScalarGraphType
{
    public DjangoDateTimeGraphType()
    {
        Name = "DateTime";
        Description = "ISO-8601 date and time with offset, as Python's isoformat().";
    }

    public static string Format(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        var microseconds = utc.Ticks % TimeSpan.TicksPerSecond / 10;
        var seconds = utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        return microseconds == 0
            ? $"{seconds}+00:00"
            : string.Create(CultureInfo.InvariantCulture, $"{seconds}.{microseconds:D6}+00:00");
    }

    public override object? Serialize(object? value) => value switch
    {
        null => null,
        DateTimeOffset offset => Format(offset),
        DateTime dateTime => Format(new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc))),
        _ => ThrowSerializationError(value),
    };

    public override object? ParseValue(object? value) => value switch
    {
        null => null,
        string text => Parse(text),
        DateTimeOffset offset => offset,
        _ => ThrowValueConversionError(value),
    };

    public override object? ParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLNullValue => null,
        GraphQLStringValue text => Parse((string)text.Value),
        _ => ThrowLiteralConversionError(value),
    };

    private static DateTimeOffset Parse(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : throw new FormatException("Expected an ISO-8601 date and time.");
}
