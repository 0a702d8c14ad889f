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
            var fields = context.Operation.SelectionSet.Selections
                .Select(s => s is GraphQLField field ? field.Name.StringValue : "fragment")
                .Distinct()
                .Order(StringComparer.Ordinal);
            request.Operation = string.Join(',', fields);
            request.OperationType = context.Operation.Operation switch
            {
                OperationType.Query => "query",
                OperationType.Mutation => "mutation",
                _ => "subscription",
            };
        }

        return Task.CompletedTask;
    }
}
