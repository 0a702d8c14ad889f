using GraphQL.Validation;
using GraphQLParser.AST;
using Microsoft.Extensions.Options;

namespace Qraft.GraphQL.Limits;

/// <summary>
/// Caps the fragment definitions of a document, before any rule walks it: the standard rules compare fragments
/// pairwise, so a chain of 1,500 one-field fragments (within the selection limit) held a replica for 7 s.
/// </summary>
internal sealed class MaxFragmentsRule(IOptions<GraphQLOptions> options) : ValidationRuleBase
{
    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        var max = options.Value.MaxFragments;
        var count = context.Document.Definitions.Count(definition => definition is GraphQLFragmentDefinition);

        // Thrown, not reported: that stops validation before the rules whose cost this limit bounds.
        return count > max ? throw new TooManyFragmentsError(context.Document.Source, max, count, context.Operation) : default;
    }
}
