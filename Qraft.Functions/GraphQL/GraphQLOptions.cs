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

    /// <summary>
    /// Directives one document may use, anywhere in it. The schema's operations need none; <c>@include</c> and
    /// <c>@skip</c> a few. Each one is checked against every other at its location, so 3,000 on one field (57 KB)
    /// cost a replica up to half a second and a 512 KB error list.
    /// </summary>
    public int MaxDirectives { get; set; } = 50;

    /// <summary>Arguments of fields and directives one document may pass; every operation of the schema takes at most three.</summary>
    public int MaxArguments { get; set; } = 200;

    /// <summary>
    /// Errors one response lists, the last saying how many more there were: a 45 KB document of unknown directives
    /// drew 15,000 errors, a 1.9 MB answer.
    /// </summary>
    public int MaxErrors { get; set; } = 20;

    /// <summary>Validated documents kept per replica (<see cref="DocumentCache"/>); 0 turns the cache off.</summary>
    public int DocumentCacheEntries { get; set; } = 200;
}
