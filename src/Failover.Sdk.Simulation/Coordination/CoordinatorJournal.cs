using Failover.Sdk.Coordination;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Failover.Sdk.Simulation.Coordination;

/// <summary>
/// The logger factory of one coordinated process: it hands the process's
/// <see cref="FailoverCoordinator"/> a logger that turns its stable log events into journal
/// entries (a lease lost, a term ended and why), and every other category a null logger. What
/// the coordinator concludes is journaled in its own words, at the instant it concludes it.
/// </summary>
internal sealed class CoordinatorJournal : ILoggerFactory, ILogger
{
    // CoordinationLog's event ids (stable): LeaseLost and OwnershipEnded.
    private const int LeaseLostEvent = 3002;
    private const int OwnershipEndedEvent = 3005;

    private static readonly string Category = typeof(FailoverCoordinator).FullName!;

    private readonly CoordinatedProcess _process;

    public CoordinatorJournal(CoordinatedProcess process) => _process = process;

    public ILogger CreateLogger(string categoryName) => categoryName == Category ? this : NullLogger.Instance;

    public void AddProvider(ILoggerProvider provider)
    {
        // The simulator's journal is the only sink.
    }

    public void Dispose()
    {
        // Nothing to release.
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => !_process.IsDead;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (_process.IsDead || state is not IReadOnlyList<KeyValuePair<string, object?>> fields)
        {
            return;
        }

        switch (eventId.Id)
        {
            case LeaseLostEvent:
                _process.OnLeaseLost(Field<long>(fields, "LeaseId"), Field<string>(fields, "Reason") ?? "");
                break;
            case OwnershipEndedEvent:
                _process.OnTermEnded(Field<string>(fields, "WorkloadId") ?? "", Field<long>(fields, "FencingToken"), Field<string>(fields, "Reason") ?? "");
                break;
        }
    }

    private static T? Field<T>(IReadOnlyList<KeyValuePair<string, object?>> fields, string name)
    {
        foreach (KeyValuePair<string, object?> field in fields)
        {
            if (field.Key == name && field.Value is T value)
            {
                return value;
            }
        }

        return default;
    }
}
