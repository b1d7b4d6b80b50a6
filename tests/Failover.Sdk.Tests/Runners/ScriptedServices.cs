using Microsoft.Extensions.Hosting;

namespace Failover.Sdk.Tests.Runners;

/// <summary>A <see cref="BackgroundService"/> whose loop the test gives; counts its stops and disposals.</summary>
internal sealed class ScriptedBackgroundService : BackgroundService
{
    private readonly Func<CancellationToken, Task> _execute;
    private int _stops;
    private int _disposals;

    public ScriptedBackgroundService(Func<CancellationToken, Task> execute) => _execute = execute;

    public int Stops => Volatile.Read(ref _stops);

    public int Disposals => Volatile.Read(ref _disposals);

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _stops);
        return base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        Interlocked.Increment(ref _disposals);
        base.Dispose();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => _execute(stoppingToken);
}

/// <summary>A plain <see cref="IHostedService"/> (no loop of its own) whose start and stop the test gives; counts its disposals.</summary>
internal sealed class ScriptedHostedService : IHostedService, IAsyncDisposable
{
    private readonly Func<CancellationToken, Task> _start;
    private readonly Func<CancellationToken, Task> _stop;
    private int _disposals;

    public ScriptedHostedService(Func<CancellationToken, Task> start, Func<CancellationToken, Task> stop)
    {
        _start = start;
        _stop = stop;
    }

    public int Disposals => Volatile.Read(ref _disposals);

    /// <summary>The token the last <c>StopAsync</c> was given.</summary>
    public CancellationToken StopToken { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken) => _start(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken)
    {
        StopToken = cancellationToken;
        return _stop(cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        Interlocked.Increment(ref _disposals);
        return ValueTask.CompletedTask;
    }
}
