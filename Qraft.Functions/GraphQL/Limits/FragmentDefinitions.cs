using GraphQLParser.AST;

namespace Qraft.GraphQL.Limits;

internal static class FragmentDefinitions
{
    /// <summary>
    /// The document's fragments by name; of two with one name the first, as the standard rules report the duplicate.
    /// </summary>
    public static Dictionary<string, GraphQLFragmentDefinition> ByName(GraphQLDocument document)
    {
        var fragments = new Dictionary<string, GraphQLFragmentDefinition>(StringComparer.Ordinal);
        foreach (var fragment in document.Definitions.OfType<GraphQLFragmentDefinition>())
        {
            fragments.TryAdd(fragment.FragmentName.Name.StringValue, fragment);
        }

        return fragments;
    }
}
