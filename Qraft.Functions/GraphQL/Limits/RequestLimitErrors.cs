using GraphQL.Validation;
using GraphQLParser;
using GraphQLParser.AST;

namespace Qraft.GraphQL.Limits;

/// <summary>
/// A document refused by one of the request limits (<see cref="GraphQLOptions"/>). As with graphql-dotnet's own
/// validation errors, the class name is the <c>extensions.code</c> (<c>TooManyFragmentsError</c> answers
/// <c>TOO_MANY_FRAGMENTS</c>), and no rule number is given: these limits are ours, not a section of the GraphQL spec.
/// Unlike the standard rules' codes, these are part of the API and reach the client as they are.
/// </summary>
public abstract class RequestLimitError(ROM source, string message, ASTNode node) : ValidationError(source, null, message, node);

public sealed class TooManyFragmentsError(ROM source, int max, int count, ASTNode node)
    : RequestLimitError(source, $"A document may define at most {max} fragments; this one defines {count}.", node);

public sealed class TooManyDirectivesError(ROM source, int max, ASTNode node)
    : RequestLimitError(source, $"A document may use at most {max} directives; this one uses more.", node);

public sealed class TooManyArgumentsError(ROM source, int max, ASTNode node)
    : RequestLimitError(source, $"A document may pass at most {max} arguments; this one passes more.", node);

public sealed class TooManySelectionsError(ROM source, int max, ASTNode node)
    : RequestLimitError(source, $"An operation may select at most {max} fields with its fragments expanded; this one selects more.", node);

public sealed class TooManyRootFieldsError(ROM source, int max, long count, ASTNode node)
    : RequestLimitError(source, $"An operation may select at most {max} root fields; this one selects {count}.", node);
