using System.Globalization;

namespace Qraft.Bench;

/// <summary>
/// CPU seconds spent by named groups of processes between two readings of /proc, and by the whole machine
/// (/proc/stat), so a figure can say who used the two cores: the replicas, HAProxy, the load generator, or others.
/// </summary>
public sealed class CpuMeter
{
    /// <summary>USER_HZ, the unit of /proc's CPU times; 100 on every Linux this runs on.</summary>
    private const double TicksPerSecond = 100;

    private readonly IReadOnlyDictionary<string, IReadOnlyList<int>> _groups;
    private readonly Dictionary<string, long> _start;
    private readonly long _machineBusyStart;
    private readonly long _machineAllStart;

    private CpuMeter(IReadOnlyDictionary<string, IReadOnlyList<int>> groups)
    {
        _groups = groups;
        _start = Read();
        (_machineBusyStart, _machineAllStart) = ReadMachine();
    }

    public static CpuMeter Start(IReadOnlyDictionary<string, IReadOnlyList<int>> groups) => new(groups);

    /// <summary>CPU seconds per group since the start, plus "machine" (all CPUs busy) and "machineCapacity" (CPUs x seconds).</summary>
    public Dictionary<string, double> Stop()
    {
        var end = Read();
        var (busy, all) = ReadMachine();
        var result = _groups.Keys.ToDictionary(g => g, g => (end[g] - _start[g]) / TicksPerSecond);
        result["machine"] = (busy - _machineBusyStart) / TicksPerSecond;
        result["machineCapacity"] = (all - _machineAllStart) / TicksPerSecond;
        return result;
    }

    private Dictionary<string, long> Read() => _groups.ToDictionary(g => g.Key, g => g.Value.Sum(ProcessTicks));

    /// <summary>utime + stime of a process; the fields after the command name, which may itself hold spaces.</summary>
    internal static long ProcessTicks(int pid)
    {
        var stat = Stack.ProcFile(pid, "stat");
        if (stat is null)
        {
            return 0;
        }

        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    private static (long Busy, long All) ReadMachine()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Skip(1).Take(8).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var all = cpu.Sum();
        return (all - cpu[3] - cpu[4], all);
    }
}
