using System.Globalization;
using System.Text.RegularExpressions;

namespace Failover.Sdk.Tests.Support;

/// <summary>
/// One line an AgentHost printed on standard output, e.g. <c>run-started id=w1 token=3 pid=4242</c>:
/// its name (the first word) and its <c>key=value</c> fields (a quoted value may hold spaces).
/// </summary>
internal sealed partial class AgentLine(uint node, int index, long at, string text)
{
    private readonly Dictionary<string, string> _fields = Parse(text);

    /// <summary>The node of the agent that printed it.</summary>
    public uint Node { get; } = node;

    /// <summary>Its position in that agent's output.</summary>
    public int Index { get; } = index;

    /// <summary>When the test read it (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    public long At { get; } = at;

    /// <summary>The line as printed.</summary>
    public string Text { get; } = text;

    /// <summary>The first word: <c>run-started</c>, <c>swap-completed</c>, <c>peer-down</c>, <c>ready</c>, ...</summary>
    public string Name => Text.Split(' ', 2)[0];

    /// <summary>The value of field <paramref name="key"/>, unquoted; null when the line has none.</summary>
    public string? this[string key] => _fields.GetValueOrDefault(key);

    /// <summary>Whether it is the event <paramref name="name"/> about workload <paramref name="workloadId"/>.</summary>
    public bool Is(string name, string workloadId) => Name == name && this["id"] == workloadId;

    public long Long(string key) => long.Parse(Required(key), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    public uint UInt(string key) => uint.Parse(Required(key), NumberStyles.None, CultureInfo.InvariantCulture);

    public int Int(string key) => int.Parse(Required(key), NumberStyles.None, CultureInfo.InvariantCulture);

    public override string ToString() => $"[{Node}] {Text}";

    private string Required(string key) => this[key] ?? throw new InvalidOperationException($"The line '{Text}' has no field '{key}'.");

    private static Dictionary<string, string> Parse(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match match in Field().Matches(text))
        {
            fields.TryAdd(match.Groups["key"].Value, match.Groups["quoted"].Success ? match.Groups["quoted"].Value : match.Groups["plain"].Value);
        }

        return fields;
    }

    [GeneratedRegex("""(?<key>[a-z-]+)=(?:"(?<quoted>[^"]*)"|(?<plain>\S+))""")]
    private static partial Regex Field();
}
