using GraphQL.Validation;
using GraphQLParser.AST;
using GraphQLParser.Visitors;
using Microsoft.Extensions.Options;

namespace Qraft.GraphQL;

/// <summary>
/// Caps the field selections of the executed operation with every fragment spread expanded, before any other rule
/// walks the document. Fragments that spread others twice over a few levels ("billion laughs") expand exponentially,
/// and the standard rules and the complexity analyzer walk that expansion; this count is linear (each fragment is
/// sized once) and refuses such a document by throwing, which stops validation before the expensive walk begins.
/// The number of fragment definitions is capped too: the standard rules compare fragments pairwise, so a chain of
/// 1,500 one-field fragments (within the selection budget) held a replica for 7 s. And the root fields, aliases and
/// those reached through root-level fragments included, are capped so one request cannot fan out into many logins,
/// sign-ups or introspections. Directives and arguments are counted over the document as written, and the count stops
/// at the first one over its limit: the standard rules compare them pairwise and report each duplicate.
/// </summary>
internal sealed class SelectionBudgetRule(IOptions<GraphQLOptions> options) : ValidationRuleBase
{
    public override async ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        var limit = options.Value.MaxSelections;
        var definitions = context.Document.Definitions.OfType<GraphQLFragmentDefinition>().ToList();
        if (definitions.Count > options.Value.MaxFragments)
        {
            throw new ValidationError(
                default,
                "TOO_MANY_FRAGMENTS",
                $"A document may define at most {options.Value.MaxFragments} fragments; this one defines {definitions.Count}.",
                context.Operation);
        }

        await new UsageCounter(options.Value).VisitAsync(context.Document, new DefaultVisitorContext { CancellationToken = context.CancellationToken });

        var fragments = new Dictionary<string, GraphQLFragmentDefinition>(StringComparer.Ordinal);
        foreach (var fragment in definitions)
        {
            fragments.TryAdd(fragment.FragmentName.Name.StringValue, fragment);
        }

        var sizer = new Sizer(fragments, limit);
        var size = sizer.Size(context.Operation.SelectionSet);
        if (size > limit)
        {
            throw new ValidationError(
                default,
                "TOO_MANY_SELECTIONS",
                $"An operation may select at most {limit} fields with its fragments expanded; this one selects more.",
                context.Operation);
        }

        // Counted only once the whole expansion is known to be small, so this walk is bounded too.
        var rootFields = sizer.RootFields(context.Operation.SelectionSet);
        if (rootFields > options.Value.MaxRootFields)
        {
            context.ReportError(new ValidationError(
                default,
                "TOO_MANY_ROOT_FIELDS",
                $"An operation may select at most {options.Value.MaxRootFields} root fields; this one selects {rootFields}.",
                context.Operation));
        }

        return null;
    }

    /// <summary>Counts directives and arguments wherever they appear, each definition once, and throws past a limit.</summary>
    private sealed class UsageCounter(GraphQLOptions limits) : ASTVisitor<DefaultVisitorContext>
    {
        private int _directives;
        private int _arguments;

        protected override ValueTask VisitDirectiveAsync(GraphQLDirective directive, DefaultVisitorContext context) =>
            ++_directives > limits.MaxDirectives
                ? throw new ValidationError(default, "TOO_MANY_DIRECTIVES", $"A document may use at most {limits.MaxDirectives} directives; this one uses more.", directive)
                : base.VisitDirectiveAsync(directive, context);

        protected override ValueTask VisitArgumentAsync(GraphQLArgument argument, DefaultVisitorContext context) =>
            ++_arguments > limits.MaxArguments
                ? throw new ValidationError(default, "TOO_MANY_ARGUMENTS", $"A document may pass at most {limits.MaxArguments} arguments; this one passes more.", argument)
                : base.VisitArgumentAsync(argument, context);
    }

    /// <summary>Sizes selection sets, memoizing fragments; sizes saturate just above the limit so nothing overflows.</summary>
    private sealed class Sizer(Dictionary<string, GraphQLFragmentDefinition> fragments, int limit)
    {
        private readonly Dictionary<string, long> _sizes = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _rootFields = new(StringComparer.Ordinal);
        private readonly HashSet<string> _open = new(StringComparer.Ordinal);

        public long Size(GraphQLSelectionSet? selections)
        {
            long total = 0;
            foreach (var selection in selections?.Selections ?? [])
            {
                total += selection switch
                {
                    GraphQLField field => 1 + Size(field.SelectionSet),
                    GraphQLInlineFragment inline => Size(inline.SelectionSet),
                    GraphQLFragmentSpread spread => Fragment(spread.FragmentName.Name.StringValue),
                    _ => 0,
                };
                if (total > limit)
                {
                    return limit + 1L;
                }
            }

            return total;
        }

        /// <summary>Fields of the selection set itself, through its fragments but not into the fields' own selections.</summary>
        public long RootFields(GraphQLSelectionSet selections)
        {
            long total = 0;
            foreach (var selection in selections.Selections)
            {
                total += selection switch
                {
                    GraphQLField => 1,
                    GraphQLInlineFragment inline => RootFields(inline.SelectionSet),
                    GraphQLFragmentSpread spread
                        when fragments.TryGetValue(spread.FragmentName.Name.StringValue, out var fragment) && _open.Add(fragment.FragmentName.Name.StringValue)
                        => RootFieldsOf(fragment),
                    _ => 0,
                };
            }

            return total;
        }

        private long RootFieldsOf(GraphQLFragmentDefinition fragment)
        {
            var name = fragment.FragmentName.Name.StringValue;
            if (!_rootFields.TryGetValue(name, out var count))
            {
                count = RootFields(fragment.SelectionSet);
                _rootFields[name] = count;
            }

            _open.Remove(name);
            return count;
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

            var size = Size(fragment.SelectionSet);
            _open.Remove(name);
            _sizes[name] = size;
            return size;
        }
    }
}
