using GraphQL.Validation;
using GraphQLParser.AST;
using Microsoft.Extensions.Options;

namespace Qraft.GraphQL.Limits;

/// <summary>Arguments of fields and directives anywhere in the document, compared pairwise for uniqueness by the standard rules.</summary>
internal sealed class MaxArgumentsRule(IOptions<GraphQLOptions> options) : NodeCountRule<GraphQLArgument>
{
    protected override int Max => options.Value.MaxArguments;

    protected override RequestLimitError TooMany(ValidationContext context, GraphQLArgument node) =>
        new TooManyArgumentsError(context.Document.Source, Max, node);
}
