using GraphQL.Validation;
using GraphQLParser.AST;
using Microsoft.Extensions.Options;

namespace Qraft.GraphQL.Limits;

/// <summary>
/// Directives anywhere in the document: each is checked against every other at its location, so 3,000 on one field
/// (57 KB) cost a replica up to half a second and a 512 KB error list.
/// </summary>
internal sealed class MaxDirectivesRule(IOptions<GraphQLOptions> options) : NodeCountRule<GraphQLDirective>
{
    protected override int Max => options.Value.MaxDirectives;

    protected override RequestLimitError TooMany(ValidationContext context, GraphQLDirective node) =>
        new TooManyDirectivesError(context.Document.Source, Max, node);
}
