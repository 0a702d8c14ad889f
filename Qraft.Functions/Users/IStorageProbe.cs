namespace Qraft.Users;

/// <summary>Answers readiness: can this replica reach its tables right now.</summary>
public interface IStorageProbe
{
    Task<bool> IsReachableAsync(CancellationToken cancellationToken);
}
