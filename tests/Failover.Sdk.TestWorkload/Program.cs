// A process workload for tests, started by a Failover agent's process runner. The first
// argument picks how it behaves:
//
//   run                 answer probes (and heartbeat, in heartbeat mode); exit 0 on SIGTERM
//   ignore-term         as run, but SIGTERM is ignored: only a kill ends it
//   exit CODE           exit with CODE once the client has started
//   spawn-child FILE    start a child `sleep 300` (found on PATH), write its pid to FILE, then as run
//   wrong-answer        as run, but every probe is answered with a wrong response
//   report FILE         write the arguments, working folder and FAILOVER_*/TEST_* variables to
//                       FILE as JSON, then as run
//
// Once its client has started (and the mode's file is written) it prints "ready <pid>".
// Exit codes of its own: 64 for a bad command line, 65 when not started by an agent.
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Failover.Sdk.Workloads;

const string ProbeSecretVariable = "FAILOVER_WORKLOAD_PROBE_SECRET";

if (args.Length == 0)
{
    return Usage("no mode given");
}

string mode = args[0];
if (mode == "wrong-answer")
{
    // A workload with the wrong secret: it answers every key, always wrongly, as a
    // misconfigured or impostor process would.
    Environment.SetEnvironmentVariable(ProbeSecretVariable, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
}

var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
using PosixSignalRegistration onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    // Both modes keep the runtime from ending the process by itself; only "run" and its
    // kin then leave, and cleanly.
    context.Cancel = true;
    if (mode != "ignore-term")
    {
        stop.TrySetResult();
    }
});

await using WorkloadClient? client = WorkloadClient.FromEnvironment();
if (client is null)
{
    Console.Error.WriteLine("Not started by a Failover agent: the FAILOVER_* variables are not set.");
    return 65;
}

client.Start();
Process? child = null;
switch (mode)
{
    case "run" or "ignore-term" or "wrong-answer":
        break;
    case "exit" when args.Length == 2 && int.TryParse(args[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int code):
        Ready();
        return code;
    case "spawn-child" when args.Length == 2:
        var sleep = new ProcessStartInfo("sleep") { UseShellExecute = false };
        sleep.ArgumentList.Add("300");
        child = Process.Start(sleep) ?? throw new InvalidOperationException("sleep did not start");
        WriteAtomically(args[1], child.Id.ToString(CultureInfo.InvariantCulture));
        break;
    case "report" when args.Length >= 2:
        WriteAtomically(args[1], Report(args));
        break;
    default:
        return Usage($"unknown mode or arguments: {string.Join(' ', args)}");
}

Ready();
await stop.Task;

// The child is left running on purpose: stopping a workload's descendants is the runner's job.
child?.Dispose();
return 0;

static void Ready()
{
    Console.WriteLine($"ready {Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}");
    Console.Out.Flush();
}

static int Usage(string problem)
{
    Console.Error.WriteLine($"{problem}. Usage: run | ignore-term | exit CODE | spawn-child PIDFILE | wrong-answer | report FILE");
    return 64;
}

// Written beside the target and moved into place, so a reader never sees half a file.
static void WriteAtomically(string path, string content)
{
    string partial = path + ".partial";
    File.WriteAllText(partial, content);
    File.Move(partial, path, overwrite: true);
}

static string Report(string[] arguments)
{
    using var buffer = new MemoryStream();
    using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
    {
        json.WriteStartObject();
        json.WriteStartArray("args");
        foreach (string argument in arguments)
        {
            json.WriteStringValue(argument);
        }

        json.WriteEndArray();
        json.WriteString("cwd", Environment.CurrentDirectory);
        json.WriteNumber("pid", Environment.ProcessId);
        json.WriteStartObject("env");
        foreach (System.Collections.DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            string name = (string)variable.Key;
            if (name.StartsWith("FAILOVER_", StringComparison.Ordinal) || name.StartsWith("TEST_", StringComparison.Ordinal))
            {
                json.WriteString(name, (string?)variable.Value);
            }
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
}
