using GraphQL.Validation;
using GraphQLParser.AST;
using GraphQLParser.Visitors;

namespace Qraft.GraphQL.Limits;

/// <summary>
/// Caps the nodes of one kind wherever they appear in the document as written, each definition once. The count stops
/// at the first node over the limit and refuses the document by throwing, before the standard rules that compare such
/// nodes pairwise and report every duplicate.
/// </summary>
internal abstract class NodeCountRule<TNode> : ValidationRuleBase
    where TNode : ASTNode
{
    protected abstract int Max { get; }

    public override async ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        await new Counter(this, context).VisitAsync(context.Document, new DefaultVisitorContext { CancellationToken = context.CancellationToken });
        return null;
    }

    protected abstract RequestLimitError TooMany(ValidationContext context, TNode node);

    private sealed class Counter(NodeCountRule<TNode> rule, ValidationContext validation) : ASTVisitor<DefaultVisitorContext>
    {
        private readonly int _max = rule.Max;
        private int _count;

        public override ValueTask VisitAsync(ASTNode? node, DefaultVisitorContext context) =>
            node is TNode counted && ++_count > _max ? throw rule.TooMany(validation, counted) : base.VisitAsync(node, context);
    }
}
