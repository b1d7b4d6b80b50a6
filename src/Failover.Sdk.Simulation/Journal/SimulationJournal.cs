using System.Collections;
using System.Text;
using System.Text.Json;
using Failover.Sdk.Simulation.Scenarios;

namespace Failover.Sdk.Simulation.Journal;

/// <summary>
/// Everything a simulation run did, in order: the same definition gives the same journal,
/// and the same JSON lines byte for byte.
/// </summary>
public sealed class SimulationJournal : IReadOnlyList<JournalEntry>
{
    private readonly List<JournalEntry> _entries = [];

    internal SimulationJournal()
    {
    }

    /// <inheritdoc />
    public int Count => _entries.Count;

    /// <inheritdoc />
    public JournalEntry this[int index] => _entries[index];

    /// <summary>Writes one JSON object per line, each with an <c>event</c> naming its type.</summary>
    public void WriteJsonLines(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        foreach (JournalEntry entry in _entries)
        {
            writer.Write(JsonSerializer.Serialize(entry, SimulationJsonContext.Default.JournalEntry));
            writer.Write('\n');
        }
    }

    /// <summary>The journal as JSON lines, as <see cref="WriteJsonLines"/> writes it.</summary>
    public string ToJsonLines()
    {
        var text = new StringBuilder();
        using (var writer = new StringWriter(text, System.Globalization.CultureInfo.InvariantCulture))
        {
            WriteJsonLines(writer);
        }

        return text.ToString();
    }

    /// <inheritdoc />
    public IEnumerator<JournalEntry> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal void Add(JournalEntry entry) => _entries.Add(entry);
}
