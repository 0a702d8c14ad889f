using GraphQL.Execution;
using GraphQLParser.AST;

namespace Qraft.GraphQL;

/// <summary>Names the executed operation by its type and root fields, sets bounded by the schema, for metrics and logs.</summary>
public sealed class OperationListener : DocumentExecutionListenerBase
{
    public override Task BeforeExecutionAsync(IExecutionContext context)
    {
        if (context.UserContext is GraphQLRequestContext request)
        {
            var selections = context.Operation.SelectionSet.Selections;

            // One root field is nearly every request; the name needs no list then.
            request.Operation = selections.Count == 1
                ? NameOf(selections[0])
                : string.Join(',', selections.Select(NameOf).Distinct().Order(StringComparer.Ordinal));
            request.OperationType = context.Operation.Operation switch
            {
                OperationType.Query => "query",
                OperationType.Mutation => "mutation",
                _ => "subscription",
            };
        }

        return Task.CompletedTask;
    }

    private static string NameOf(ASTNode selection) => selection is GraphQLField field ? field.Name.StringValue : "fragment";
}
