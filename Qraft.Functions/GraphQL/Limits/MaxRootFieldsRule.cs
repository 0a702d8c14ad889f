using GraphQL.Validation;
using GraphQLParser.AST;
using Microsoft.Extensions.Options;

namespace Qraft.GraphQL.Limits;

/// <summary>
/// Caps the root fields of the executed operation, aliases and those reached through root-level fragments included,
/// so one request cannot fan out into many logins, sign-ups or introspections. Registered after
/// <see cref="MaxSelectionsRule"/>, so it only ever counts an expansion already known to be small. Reported rather
/// than thrown: such a document is cheap to validate further, and the standard rules add what else is wrong with it.
/// </summary>
internal sealed class MaxRootFieldsRule(IOptions<GraphQLOptions> options) : ValidationRuleBase
{
    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        var max = options.Value.MaxRootFields;
        var count = new RootFields(FragmentDefinitions.ByName(context.Document)).Of(context.Operation.SelectionSet);
        if (count > max)
        {
            context.ReportError(new TooManyRootFieldsError(context.Document.Source, max, count, context.Operation));
        }

        return default;
    }

    /// <summary>Fields of a selection set itself, through its fragments but not into the fields' own selections.</summary>
    private sealed class RootFields(Dictionary<string, GraphQLFragmentDefinition> fragments)
    {
        private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);
        private readonly HashSet<string> _open = new(StringComparer.Ordinal);

        public long Of(GraphQLSelectionSet selections)
        {
            long total = 0;
            foreach (var selection in selections.Selections)
            {
                total += selection switch
                {
                    GraphQLField => 1,
                    GraphQLInlineFragment inline => Of(inline.SelectionSet),
                    GraphQLFragmentSpread spread
                        when fragments.TryGetValue(spread.FragmentName.Name.StringValue, out var fragment) && _open.Add(fragment.FragmentName.Name.StringValue)
                        => Fragment(fragment),
                    _ => 0,
                };
            }

            return total;
        }

        private long Fragment(GraphQLFragmentDefinition fragment)
        {
            var name = fragment.FragmentName.Name.StringValue;
            if (!_counts.TryGetValue(name, out var count))
            {
                count = Of(fragment.SelectionSet);
                _counts[name] = count;
            }

            _open.Remove(name);
            return count;
        }
    }
}
