using System.Text.Json;
using Failover.Sdk.Runners;
using Failover.Sdk.Tests.Support;
using Failover.Sdk.Workloads;

namespace Failover.Sdk.Tests.Runners;

/// <summary>Starting a process workload: its arguments, environment and folder arrive as given, and a start that cannot work says why.</summary>
[Collection(RealProcesses.Name)]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit v2 ends it in IAsyncLifetime.DisposeAsync.")]
public sealed class ProcessStartTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("failover-process-").FullName;
    private ProcessHarness _harness = null!;

    public Task InitializeAsync()
    {
        _harness = new ProcessHarness();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [SkippableFact]
    public async Task Arguments_environment_and_working_folder_arrive_verbatim_with_no_shell_between()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "The process runner's tests run real processes on Linux.");
        string reportFile = Path.Combine(_folder, "report.json");
        string workingFolder = Directory.CreateDirectory(Path.Combine(_folder, "work dir")).FullName;
        string[] tricky = ["two words", "it's \"quoted\"", "a;b", "$(x)", "`id`", "*", "", "back\\slash", "$HOME"];
        ProcessHarness.Run run = await _harness.StartAsync("report-1", ["report", reportFile, .. tricky], o =>
        {
            o.Process.WorkingDirectory = workingFolder;
            o.Process.Environment["TEST_VALUE"] = "x y; $(z) \"q\"";

            // The runner's own variables win over the workload's settings.
            o.Process.Environment["FAILOVER_NODE_ID"] = "999";
        }, fencingToken: 4711);

        await Eventually.TrueAsync(() => File.Exists(reportFile), "the report file", ProcessHarness.StartDeadline);
        using JsonDocument report = JsonDocument.Parse(await File.ReadAllTextAsync(reportFile));
        JsonElement root = report.RootElement;

        Assert.Equal(["report", reportFile, .. tricky], root.GetProperty("args").EnumerateArray().Select(a => a.GetString()!));
        Assert.Equal(workingFolder, root.GetProperty("cwd").GetString());
        Assert.Equal(run.ProcessId, root.GetProperty("pid").GetInt32());

        JsonElement env = root.GetProperty("env");
        Assert.Equal("x y; $(z) \"q\"", env.GetProperty("TEST_VALUE").GetString());
        Assert.Equal("report-1", env.GetProperty(WorkloadEnvironment.WorkloadId).GetString());
        Assert.Equal(run.Workload.WireId.ToString(System.Globalization.CultureInfo.InvariantCulture), env.GetProperty(WorkloadEnvironment.WireId).GetString());
        Assert.Equal(_harness.Channel.EndPoint.ToString(), env.GetProperty(WorkloadEnvironment.Endpoint).GetString());
        Assert.Equal(Convert.ToBase64String(_harness.Channel.ChannelKey), env.GetProperty(WorkloadEnvironment.ChannelKey).GetString());
        Assert.Equal(Convert.ToBase64String(run.Workload.ProbeSecret), env.GetProperty(WorkloadEnvironment.ProbeSecret).GetString());
        Assert.Equal("4711", env.GetProperty(WorkloadEnvironment.FencingToken).GetString());
        Assert.Equal("7", env.GetProperty(WorkloadEnvironment.NodeId).GetString());
        Assert.False(env.TryGetProperty(WorkloadEnvironment.HeartbeatMilliseconds, out _), "key/response mode sets no heartbeat interval");
        Assert.Equal(4711, run.Instance.FencingToken);
        Assert.Equal("report-1", run.Instance.WorkloadId);
    }

    [SkippableFact]
    public async Task A_relative_program_path_is_found_in_the_working_folder()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "The process runner's tests run real processes on Linux.");
        Skip.IfNot(File.Exists(TestWorkload.AppHostPath), "The test workload was built without an apphost.");
        string folder = Path.GetDirectoryName(TestWorkload.AppHostPath)!;

        ProcessHarness.Run run = await _harness.StartAsync("relative-1", ["run"], o =>
        {
            o.Process.FileName = "./" + Path.GetFileName(TestWorkload.AppHostPath);
            o.Process.Arguments.Clear();
            o.Process.Arguments.Add("run");
            o.Process.WorkingDirectory = folder;
        });

        Assert.True(ProcStat.TryRead(run.ProcessId, out _));
        Assert.False(run.Instance.Exited.IsCompleted);
    }

    [SkippableFact]
    public async Task A_missing_program_is_refused_naming_the_workload()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "The process runner's tests run real processes on Linux.");
        var ex = await Assert.ThrowsAsync<WorkloadStartException>(() => StartAsync("missing-1", o => o.Process.FileName = Path.Combine(_folder, "no-such-program")));
        Assert.Equal("missing-1", ex.WorkloadId);
        Assert.Contains("'missing-1'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);

        ex = await Assert.ThrowsAsync<WorkloadStartException>(() => StartAsync("missing-2", o => o.Process.FileName = "failover-no-such-program-on-path"));
        Assert.Equal("missing-2", ex.WorkloadId);
        Assert.Contains("not found on PATH", ex.Message, StringComparison.Ordinal);

        ex = await Assert.ThrowsAsync<WorkloadStartException>(() => StartAsync("missing-3", o => o.Process.FileName = null));
        Assert.Equal("missing-3", ex.WorkloadId);
        Assert.Contains("FileName", ex.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_folder_or_a_file_without_execute_permission_is_not_a_program()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "The process runner's tests run real processes on Linux.");
        var ex = await Assert.ThrowsAsync<WorkloadStartException>(() => StartAsync("folder-1", o => o.Process.FileName = _folder));
        Assert.Contains("is a folder", ex.Message, StringComparison.Ordinal);

        string plain = Path.Combine(_folder, "plain.txt");
        await File.WriteAllTextAsync(plain, "not a program");
        ex = await Assert.ThrowsAsync<WorkloadStartException>(() => StartAsync("plain-1", o => o.Process.FileName = plain));
        Assert.Contains("is not executable", ex.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_missing_working_folder_is_refused_naming_the_workload()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "The process runner's tests run real processes on Linux.");
        string missing = Path.Combine(_folder, "no-such-folder");
        var ex = await Assert.ThrowsAsync<WorkloadStartException>(() => StartAsync("nofolder-1", o => o.Process.WorkingDirectory = missing));
        Assert.Equal("nofolder-1", ex.WorkloadId);
        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
        Assert.Contains("working folder", ex.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_program_the_system_cannot_execute_fails_with_the_cause_and_leaves_no_registration()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new SkipException("The process runner's tests run real processes on Linux.");
        }

        // Executable by its mode, but neither a binary nor a script with a #! line: execve refuses it.
        string bogus = Path.Combine(_folder, "bogus");
        await File.WriteAllBytesAsync(bogus, [0x00, 0x01, 0x02, 0x03]);
        File.SetUnixFileMode(bogus, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        WorkloadDescriptor workload = TestWorkload.Describe("bogus-1", [], o => o.Process.FileName = bogus);

        var ex = await Assert.ThrowsAsync<WorkloadStartException>(() =>
            _harness.Runner.StartAsync(new WorkloadLaunch(workload, 7, 1, new AwaitableSignals()), CancellationToken.None).AsTask());
        Assert.Equal("bogus-1", ex.WorkloadId);
        Assert.IsType<System.ComponentModel.Win32Exception>(ex.InnerException);

        // The failed start gave its channel registration back: the next run may register.
        _harness.Channel.Register(workload, new AwaitableSignals()).Dispose();
    }

    [SkippableFact]
    public async Task A_second_run_of_a_registered_workload_is_refused_before_anything_starts()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "The process runner's tests run real processes on Linux.");
        WorkloadDescriptor workload = TestWorkload.Describe("twice-1", ["run"]);
        using IDisposable first = _harness.Channel.Register(workload, new AwaitableSignals());

        var ex = await Assert.ThrowsAsync<WorkloadStartException>(() =>
            _harness.Runner.StartAsync(new WorkloadLaunch(workload, 7, 1, new AwaitableSignals()), CancellationToken.None).AsTask());
        Assert.Equal("twice-1", ex.WorkloadId);
        Assert.IsType<InvalidOperationException>(ex.InnerException);
    }

    private async Task StartAsync(string id, Action<Failover.Sdk.Configuration.FailoverWorkloadOptions> configure)
    {
        WorkloadDescriptor workload = TestWorkload.Describe(id, ["run"], configure);
        IWorkloadInstance instance = await _harness.Runner.StartAsync(new WorkloadLaunch(workload, 7, 1, new AwaitableSignals()), CancellationToken.None);

        // Not reached when the start is refused; if it is, the run must still end.
        await instance.DisposeAsync();
    }
}
