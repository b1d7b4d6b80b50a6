using System.Text.Json;

namespace Failover.Sdk.Simulation.Scenarios;

/// <summary>
/// Scenarios as JSON text, so a run (a failing seed from a property test, say) can be saved
/// and replayed exactly. Times are <c>"hh:mm:ss.fffffff"</c>; faults carry a <c>kind</c>.
/// A setting left out takes its default, as in code; an unknown or repeated property is an error.
/// </summary>
public static class ScenarioJson
{
    private static readonly SimulationJsonContext Indented = new(new JsonSerializerOptions(SimulationJsonContext.Default.Options) { WriteIndented = true });

    /// <summary>The definition as indented JSON.</summary>
    public static string Serialize(ScenarioDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return JsonSerializer.Serialize(definition, Indented.ScenarioDefinition);
    }

    /// <summary>Reads and validates a definition.</summary>
    /// <exception cref="ScenarioException">The text is not valid scenario JSON (the message gives the JSON path and line), or the scenario is inconsistent.</exception>
    public static ScenarioDefinition Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        ScenarioDefinition? definition;
        try
        {
            // Read as written first, so that a mistake is reported at the text's own line;
            // then with the settings the text leaves out written in (ScenarioDefaults).
            definition = JsonSerializer.Deserialize(json, SimulationJsonContext.Default.ScenarioDefinition);
            if (definition is not null)
            {
                definition = ScenarioDefaults.Fill(json).Deserialize(SimulationJsonContext.Default.ScenarioDefinition);
            }
        }
        catch (JsonException ex)
        {
            throw new ScenarioException($"The scenario JSON is invalid at {ex.Path ?? "$"} (line {ex.LineNumber + 1}): {ex.Message}", ex);
        }
        catch (NotSupportedException ex)
        {
            throw new ScenarioException($"The scenario JSON is invalid: {ex.Message}", ex);
        }

        if (definition is null)
        {
            throw new ScenarioException("The scenario JSON is null.");
        }

        ScenarioValidator.Validate(definition);
        return definition;
    }

    /// <summary>Reads and validates the definition in the file at <paramref name="path"/>.</summary>
    /// <exception cref="ScenarioException">The file's content is not a valid scenario.</exception>
    public static ScenarioDefinition Load(string path) => Parse(File.ReadAllText(path));

    /// <summary>Writes <paramref name="definition"/> to the file at <paramref name="path"/>.</summary>
    public static void Save(ScenarioDefinition definition, string path) => File.WriteAllText(path, Serialize(definition));
}
