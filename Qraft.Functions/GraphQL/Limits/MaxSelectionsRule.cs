using GraphQL.Validation;
using GraphQLParser.AST;
using Microsoft.Extensions.Options;

namespace Qraft.GraphQL.Limits;

/// <summary>
/// Caps the field selections of the executed operation with every fragment spread expanded, before any other rule
/// walks the document. Fragments that spread others twice over a few levels ("billion laughs") expand exponentially,
/// and the standard rules and the complexity analyzer walk that expansion; this count is linear (each fragment is
/// sized once) and refuses such a document by throwing, which stops validation before the expensive walk begins.
/// </summary>
internal sealed class MaxSelectionsRule(IOptions<GraphQLOptions> options) : ValidationRuleBase
{
    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        var max = options.Value.MaxSelections;
        var size = new ExpandedSize(FragmentDefinitions.ByName(context.Document), max).Of(context.Operation.SelectionSet);
        return size > max ? throw new TooManySelectionsError(context.Document.Source, max, context.Operation) : default;
    }

    /// <summary>Sizes selection sets, memoizing fragments; sizes saturate just above the limit so nothing overflows.</summary>
    private sealed class ExpandedSize(Dictionary<string, GraphQLFragmentDefinition> fragments, int max)
    {
        private readonly Dictionary<string, long> _sizes = new(StringComparer.Ordinal);
        private readonly HashSet<string> _open = new(StringComparer.Ordinal);

        public long Of(GraphQLSelectionSet? selections)
        {
            long total = 0;
            foreach (var selection in selections?.Selections ?? [])
            {
                total += selection switch
                {
                    GraphQLField field => 1 + Of(field.SelectionSet),
                    GraphQLInlineFragment inline => Of(inline.SelectionSet),
                    GraphQLFragmentSpread spread => Fragment(spread.FragmentName.Name.StringValue),
                    _ => 0,
                };
                if (total > max)
                {
                    return max + 1L;
                }
            }

            return total;
        }

        private long Fragment(string name)
        {
            if (_sizes.TryGetValue(name, out var known))
            {
                return known;
            }

            // Unknown fragments and cycles are reported by the standard rules; they add nothing here.
            if (!fragments.TryGetValue(name, out var fragment) || !_open.Add(name))
            {
                return 0;
            }

            var size = Of(fragment.SelectionSet);
            _open.Remove(name);
            _sizes[name] = size;
            return size;
        }
    }
}
