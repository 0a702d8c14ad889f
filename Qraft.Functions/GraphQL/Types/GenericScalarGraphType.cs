using GraphQL.Types;
using GraphQLParser.AST;

namespace Qraft.GraphQL.Types;

/// <summary>graphene's <c>GenericScalar</c>: any JSON value, passed through as is (token payloads are JSON objects).</summary>
public sealed class GenericScalarGraphType : ScalarGraphType
{
    public GenericScalarGraphType()
    {
        Name = "GenericScalar";
        Description = "Any JSON value.";
    }

    public override object? Serialize(object? value) => value;

    public override object? ParseValue(object? value) => value;

    public override object? ParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLNullValue => null,
        GraphQLStringValue text => (string)text.Value,
        GraphQLBooleanValue boolean => boolean.BoolValue,
        GraphQLIntValue integer => long.Parse(integer.Value, System.Globalization.CultureInfo.InvariantCulture),
        GraphQLFloatValue number => double.Parse(number.Value, System.Globalization.CultureInfo.InvariantCulture),
        GraphQLListValue list => list.Values?.Select(ParseLiteral).ToList() ?? [],
        GraphQLObjectValue obj => obj.Fields?.ToDictionary(f => (string)f.Name.Value, f => ParseLiteral(f.Value)) ?? [],
        _ => ThrowLiteralConversionError(value),
    };
}
