using GraphQL.Validation;
using GraphQLParser;
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
            context.ReportError(new MutationOverGetError(context.Document.Source, context.Operation));
        }

        return default;
    }
}

/// <summary>Answered with 405 and <c>BAD_REQUEST</c>; no spec rule number, as with <see cref="Limits.RequestLimitError"/>.</summary>
internal sealed class MutationOverGetError(ROM source, GraphQLOperationDefinition operation)
    : ValidationError(source, null, QueriesOnlyOverGetRule.Message, operation);
