using Failover.Sdk.Runners;

namespace Failover.Sdk.Tests.Runners;

/// <summary>Reading Linux's /proc/&lt;pid&gt;/stat, and telling an exit code's story.</summary>
public sealed class ProcStatTests
{
    [Fact]
    public void The_fields_are_counted_from_the_last_parenthesis_so_any_command_name_parses()
    {
        const string text = "4242 (evil) S 1 (x) Z 77 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10 18446744073709551615\n";

        Assert.True(ProcStat.TryParse(4242, text, out ProcStat stat));
        Assert.Equal(new ProcStat(4242, 'Z', 77, 987654, 1), stat);
        Assert.True(stat.IsDead);
    }

    [Fact]
    public void A_process_whose_main_thread_exited_shows_state_Z_but_is_alive_while_other_threads_run()
    {
        const string text = "4242 (app) Z 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 3 0 987654 1000 10 18446744073709551615\n";

        Assert.True(ProcStat.TryParse(4242, text, out ProcStat stat));
        Assert.Equal('Z', stat.State);
        Assert.Equal(3, stat.Threads);
        Assert.False(stat.IsDead);
    }

    [Theory]
    [InlineData("")]
    [InlineData("4242 (name")]
    [InlineData("4242 (name) S 1 2 3")]
    [InlineData("4242 (name) S x 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654")]
    public void A_stat_line_it_cannot_read_is_refused(string text) => Assert.False(ProcStat.TryParse(1, text, out _));

    [SkippableFact]
    public void This_process_is_found_with_its_parent_and_alive()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "/proc is Linux's.");
        Assert.True(ProcStat.TryRead(Environment.ProcessId, out ProcStat self));
        Assert.Equal(Environment.ProcessId, self.ProcessId);
        Assert.True(ProcStat.IsAlive(self));
        Assert.False(ProcStat.IsAlive(self with { StartTime = self.StartTime + 1 }), "another start time is another process");
        Assert.Contains(ProcessTree.Descendants(self.ParentId), p => p.ProcessId == Environment.ProcessId);
    }

    [SkippableTheory]
    [InlineData(0, "Completed", "exit code 0")]
    [InlineData(3, "Crashed", "exit code 3")]
    [InlineData(128, "Crashed", "exit code 128")]
    [InlineData(137, "Crashed", "killed by signal 9 (SIGKILL)")]
    [InlineData(143, "Crashed", "killed by signal 15 (SIGTERM)")]
    [InlineData(139, "Crashed", "killed by signal 11 (SIGSEGV)")]
    [InlineData(255, "Crashed", "exit code 255")]
    [InlineData(-1, "Crashed", "exit code -1")]
    public void An_exit_code_is_told_as_a_completion_an_exit_or_a_signal(int code, string kind, string detail)
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "Signal names are Linux's numbering.");
        Assert.Equal(new WorkloadExit(Enum.Parse<WorkloadExitKind>(kind), code, detail), ProcessExit.Classify(code));
    }
}
