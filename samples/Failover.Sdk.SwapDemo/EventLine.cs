using System.Text.RegularExpressions;

/// <summary>
/// One line an agent printed, such as <c>run-started id=w1 token=3 pid=4242</c>: the event's
/// name, then <c>key=value</c> fields (free text last, in quotes).
/// </summary>
internal sealed partial class EventLine
{
    private readonly Dictionary<string, string> _fields = new(StringComparer.Ordinal);

    public EventLine(uint node, string text)
    {
        Node = node;
        Text = text;
        Name = text.Split(' ', 2)[0];
        foreach (Match field in Field().Matches(text))
        {
            _fields.TryAdd(field.Groups["key"].Value, field.Groups["quoted"].Success ? field.Groups["quoted"].Value : field.Groups["plain"].Value);
        }
    }

    /// <summary>The node of the agent that printed it.</summary>
    public uint Node { get; }

    public string Name { get; }

    public string Text { get; }

    /// <summary>When the demo read it.</summary>
    public DateTimeOffset At { get; } = DateTimeOffset.UtcNow;

    public string this[string key] => _fields.GetValueOrDefault(key) ?? "";

    public bool Is(string name, string workloadId) => Name == name && this["id"] == workloadId;

    [GeneratedRegex("""(?<key>[a-z-]+)=(?:"(?<quoted>[^"]*)"|(?<plain>\S+))""")]
    private static partial Regex Field();
}
