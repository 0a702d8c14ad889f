using GraphQL.Validation;
using GraphQLParser.AST;
using Microsoft.Extensions.Options;

namespace Qraft.GraphQL;

/// <summary>
/// Caps the root fields of the executed operation, counting aliases and fields reached through root-level fragments,
/// so one request cannot fan out into many logins, sign-ups or introspections.
/// </summary>
internal sealed class RootFieldLimitRule(IOptions<GraphQLOptions> options) : ValidationRuleBase
{
    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        var limit = options.Value.MaxRootFields;
        var count = Count(context.Operation.SelectionSet, context.Document, depth: 0);
        if (count > limit)
        {
            context.ReportError(new ValidationError(
                default, "TOO_MANY_ROOT_FIELDS", $"An operation may select at most {limit} root fields; this one selects {count}.", context.Operation));
        }

        return default;
    }

    private static int Count(GraphQLSelectionSet selections, GraphQLDocument document, int depth) =>
        depth > 8 ? 0 : selections.Selections.Sum(selection => selection switch
        {
            GraphQLField => 1,
            GraphQLInlineFragment inline => Count(inline.SelectionSet, document, depth + 1),
            GraphQLFragmentSpread spread when Fragment(document, spread.FragmentName.Name.StringValue) is { } fragment =>
                Count(fragment.SelectionSet, document, depth + 1),
            _ => 0,
        });

    private static GraphQLFragmentDefinition? Fragment(GraphQLDocument document, string name) =>
        document.Definitions.OfType<GraphQLFragmentDefinition>().FirstOrDefault(f => f.FragmentName.Name.StringValue == name);
}
