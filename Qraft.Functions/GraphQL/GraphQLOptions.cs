namespace Qraft.GraphQL;

/// <summary>Limits on what one GraphQL request may ask for (section "Qraft:GraphQL").</summary>
public sealed class GraphQLOptions
{
    /// <summary>Larger bodies get 413 before any parsing; no legitimate operation here comes close.</summary>
    public int MaxRequestBytes { get; set; } = 64 * 1024;

    /// <summary>Deep enough for GraphiQL's introspection query, far below what a hostile nesting needs.</summary>
    public int MaxDepth { get; set; } = 15;

    public int MaxComplexity { get; set; } = 1000;

    /// <summary>Root fields (aliases included) one operation may select: enough for any client, too few to batch attacks.</summary>
    public int MaxRootFields { get; set; } = 10;

    /// <summary>
    /// Field selections one operation may make with its fragments expanded. GraphiQL's introspection query makes about
    /// 200; a fragment that spreads another twice, thirty levels deep, would make a billion.
    /// </summary>
    public int MaxSelections { get; set; } = 2000;

    /// <summary>Fragment definitions one document may hold; GraphiQL's introspection query has three.</summary>
    public int MaxFragments { get; set; } = 50;

    /// <summary>Validated documents kept per replica (<see cref="DocumentCache"/>); 0 turns the cache off.</summary>
    public int DocumentCacheEntries { get; set; } = 200;
}
