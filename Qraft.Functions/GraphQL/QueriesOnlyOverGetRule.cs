using GraphQL.Validation;
using GraphQLParser.AST;

namespace Qraft.GraphQL;

/// <summary>GET may only read: a mutation over GET would be replayable by any link or prefetch (answered with 405).</summary>
internal sealed class QueriesOnlyOverGetRule : ValidationRuleBase
{
    public const string Message = "Can only perform a mutation operation from a POST request.";

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        if (context.UserContext is GraphQLRequestContext { IsGet: true } && context.Operation.Operation != OperationType.Query)
        {
            context.ReportError(new MutationOverGetError(context.Operation));
        }

        return default;
    }
}

internal sealed class MutationOverGetError(GraphQLOperationDefinition operation)
    : ValidationError(default, "MUTATION_OVER_GET", QueriesOnlyOverGetRule.Message, operation);
