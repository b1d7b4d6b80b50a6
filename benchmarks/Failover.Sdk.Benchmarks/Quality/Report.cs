using System.Text;

namespace Failover.Sdk.Benchmarks.Quality;

/// <summary>The markdown a mode produces: echoed to the console as it grows, and written to a file at the end when asked.</summary>
internal sealed class Report(string? path)
{
    private readonly StringBuilder _text = new();

    public void Line(string line = "")
    {
        _text.Append(line).Append('\n');
        Console.WriteLine(line);
    }

    public void Table(MarkdownTable table)
    {
        Line(table.ToString().TrimEnd('\n'));
        Line();
    }

    /// <summary>Progress for the person waiting: the console only, never the report.</summary>
    public static void Progress(string line) => Console.Error.WriteLine(line);

    public void Save()
    {
        if (path is not null)
        {
            File.WriteAllText(path, _text.ToString());
        }
    }
}
