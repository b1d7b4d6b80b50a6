using System.Net.Sockets;
using System.ComponentModel;
using System.Diagnostics;
using Failover.Sdk.Configuration;
using Failover.Sdk.Workloads;
using Microsoft.Extensions.Logging;

namespace Failover.Sdk.Runners;

/// <summary>
/// Starts <see cref="WorkloadKind.Process"/> workloads (FS-7): an operating-system process, never
/// through a shell, whose probes travel through the node's <see cref="LocalWorkloadChannel"/>.
/// </summary>
/// <remarks>
/// The process inherits the agent's standard streams: reading them would mean draining them,
/// and a workload blocked on a full pipe the agent forgot to drain is a hang the agent caused.
/// </remarks>
internal sealed class ProcessWorkloadRunner : IWorkloadRunner
{
    private readonly LocalWorkloadChannel _channel;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <param name="channel">The node's local channel, started.</param>
    /// <param name="time">The clock of grace periods and liveness checks.</param>
    /// <param name="logger">Where the runner and its instances log.</param>
    public ProcessWorkloadRunner(LocalWorkloadChannel channel, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _channel = channel;
        _time = time;
        _logger = logger;
    }

    public WorkloadKind Kind => WorkloadKind.Process;

    public ValueTask<IWorkloadInstance> StartAsync(WorkloadLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        cancellationToken.ThrowIfCancellationRequested();
        WorkloadDescriptor workload = launch.Workload;
        if (workload.Kind != WorkloadKind.Process)
        {
            throw new WorkloadStartException(workload.Id, $"it is a {workload.Kind} workload, and this runner starts processes.");
        }

        try
        {
            _channel.EnsureStarted();
        }
        catch (SocketException ex)
        {
            throw new WorkloadStartException(workload.Id, "no loopback port could be bound for the channel its probes travel on.", ex);
        }

        ProcessStartInfo start = Describe(launch);
        IDisposable registration;
        try
        {
            // Before the start, so the process's first hello finds its route.
            registration = _channel.Register(workload, launch.Signals);
        }
        catch (InvalidOperationException ex)
        {
            throw new WorkloadStartException(workload.Id, "a run of it is already registered with this node's local channel.", ex);
        }

        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (Exception ex) when (ex is Win32Exception or IOException or InvalidOperationException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            registration.Dispose();
            throw new WorkloadStartException(workload.Id, $"'{start.FileName}' could not be started: {ex.Message}", ex);
        }

        if (process is null)
        {
            // Only a shell-executed start may reuse a process and return none; ours never is.
            registration.Dispose();
            throw new WorkloadStartException(workload.Id, $"'{start.FileName}' did not start a new process.");
        }

        ProcessRunnerLog.Started(_logger, workload.Id, process.Id, start.FileName, launch.FencingToken);
        return ValueTask.FromResult<IWorkloadInstance>(
            new ProcessWorkloadInstance(process, workload, launch.FencingToken, registration, _channel, _time, _logger));
    }

    /// <summary>The start of one run: the program found, each argument as it is, the environment with the channel's variables.</summary>
    /// <exception cref="WorkloadStartException">The options describe no runnable program.</exception>
    private ProcessStartInfo Describe(WorkloadLaunch launch)
    {
        WorkloadDescriptor workload = launch.Workload;
        FailoverProcessOptions options = workload.Options.Process;
        string? workingDirectory = null;
        if (!string.IsNullOrEmpty(options.WorkingDirectory))
        {
            try
            {
                // Made absolute once, so the check, the program lookup and the start all mean the same folder.
                workingDirectory = Path.GetFullPath(options.WorkingDirectory);
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
            {
                throw new WorkloadStartException(workload.Id, $"the working folder '{options.WorkingDirectory}' is not a valid path: {ex.Message}", ex);
            }

            if (!Directory.Exists(workingDirectory))
            {
                throw new WorkloadStartException(workload.Id, $"the working folder '{workingDirectory}' does not exist.");
            }
        }

        var start = new ProcessStartInfo(ExecutableLookup.Resolve(workload.Id, options.FileName, workingDirectory))
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            WorkingDirectory = workingDirectory ?? "",
        };

        for (int i = 0; i < options.Arguments.Count; i++)
        {
            start.ArgumentList.Add(options.Arguments[i]
                ?? throw new WorkloadStartException(workload.Id, $"argument {i} is null."));
        }

        // An agent that is itself a workload of another agent must not pass its own
        // variables on: a leftover heartbeat interval would change this workload's mode.
        foreach (string name in WorkloadEnvironment.All)
        {
            start.Environment.Remove(name);
        }

        foreach ((string name, string value) in options.Environment)
        {
            if (string.IsNullOrEmpty(name) || name.Contains('=', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
            {
                throw new WorkloadStartException(workload.Id, $"'{name}' is not a valid environment variable name.");
            }

            start.Environment[name] = value;
        }

        // Last, so the workload's own settings can never break its link to the agent.
        foreach ((string name, string value) in WorkloadEnvironment.For(workload, _channel.EndPoint, _channel.ChannelKey, launch.NodeId, launch.FencingToken))
        {
            start.Environment[name] = value;
        }

        return start;
    }
}
