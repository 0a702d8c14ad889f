using System.Globalization;

namespace Qraft.Bench;

/// <summary>
/// CPU seconds spent by named groups of processes between two readings of /proc, and by the whole machine
/// (/proc/stat), so a figure can say who used the two cores: the replicas, HAProxy, the load generator, or others.
/// "hashing" is the replicas' password-hashing threads (named qraft-hashing-N): CPU actually spent hashing, which
/// the replicas' own histogram cannot tell, since it measures wall time on shared cores. "jit" is the runtime's
/// tiered-compilation thread: busy while a replica is still recompiling its hot code.
/// </summary>
public sealed class CpuMeter
{
    /// <summary>USER_HZ, the unit of /proc's CPU times; 100 on every Linux this runs on.</summary>
    private const double TicksPerSecond = 100;

    private const string HashingThreads = "qraft-hashing-";

    /// <summary>".NET Tiered Compilation Worker", as the kernel's 15-character thread names keep it.</summary>
    private const string JitThread = ".NET Tiered Com";

    private readonly IReadOnlyDictionary<string, IReadOnlyList<int>> _groups;
    private readonly Dictionary<string, long> _start;
    private readonly Dictionary<(string Prefix, int Tid), long> _threadStart;
    private readonly long _machineBusyStart;
    private readonly long _machineAllStart;

    private CpuMeter(IReadOnlyDictionary<string, IReadOnlyList<int>> groups)
    {
        _groups = groups;
        _start = Read();
        _threadStart = ReadThreads();
        (_machineBusyStart, _machineAllStart) = ReadMachine();
    }

    public static CpuMeter Start(IReadOnlyDictionary<string, IReadOnlyList<int>> groups) => new(groups);

    /// <summary>
    /// CPU seconds per group since the start, "hashing" (within "replicas"), "machine" (all CPUs busy, kernel threads
    /// included) and "machineCapacity" (CPUs x seconds).
    /// </summary>
    public Dictionary<string, double> Stop()
    {
        var end = Read();
        var threads = ReadThreads();
        var (busy, all) = ReadMachine();
        var result = end.Keys.ToDictionary(g => g, g => (end[g] - _start[g]) / TicksPerSecond);

        // Per thread, since threads come and go (the JIT's worker exits when idle): a thread that ended during the
        // interval is missed, one that started counts from zero, and no sum can go backwards.
        foreach (var (name, prefix) in new[] { ("hashing", HashingThreads), ("jit", JitThread) })
        {
            result[name] = threads.Where(t => t.Key.Prefix == prefix).Sum(t => t.Value - _threadStart.GetValueOrDefault(t.Key)) / TicksPerSecond;
        }

        result["machine"] = (busy - _machineBusyStart) / TicksPerSecond;
        result["machineCapacity"] = (all - _machineAllStart) / TicksPerSecond;
        return result;
    }

    private Dictionary<string, long> Read() => _groups.ToDictionary(g => g.Key, g => g.Value.Sum(ProcessTicks));

    /// <summary>utime + stime of each replica thread named like the hashing threads or the JIT's worker, by thread id.</summary>
    private Dictionary<(string Prefix, int Tid), long> ReadThreads()
    {
        var ticks = new Dictionary<(string Prefix, int Tid), long>();
        foreach (var pid in _groups.GetValueOrDefault("replicas") ?? [])
        {
            IEnumerable<string> tasks;
            try
            {
                tasks = Directory.EnumerateDirectories($"/proc/{pid}/task").ToList();
            }
            catch (DirectoryNotFoundException)
            {
                continue;
            }

            foreach (var task in tasks)
            {
                var tid = int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture);
                var comm = Stack.ProcFile(pid, $"task/{tid}/comm") ?? "";
                if (new[] { HashingThreads, JitThread }.FirstOrDefault(p => comm.StartsWith(p, StringComparison.Ordinal)) is { } prefix)
                {
                    ticks[(prefix, tid)] = StatTicks(Stack.ProcFile(pid, $"task/{tid}/stat"));
                }
            }
        }

        return ticks;
    }

    /// <summary>utime + stime of a process; the fields after the command name, which may itself hold spaces.</summary>
    private static long ProcessTicks(int pid) => StatTicks(Stack.ProcFile(pid, "stat"));

    private static long StatTicks(string? stat)
    {
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
