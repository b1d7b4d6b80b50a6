using System.Reflection;
using System.Security.Cryptography;
using Failover.Sdk.Configuration;
using Failover.Sdk.Workloads;

namespace Failover.Sdk.Tests.Runners;

/// <summary>
/// The Failover.Sdk.TestWorkload program, as a process workload. The test project references
/// it without its assembly (so it is built first) and is told where its dll lands by the
/// TestWorkloadPath assembly attribute the csproj computes; the apphost is beside the dll.
/// </summary>
internal static class TestWorkload
{
    public static string DllPath => typeof(TestWorkload).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "TestWorkloadPath").Value!;

    public static string AppHostPath => Path.ChangeExtension(DllPath, OperatingSystem.IsWindows() ? ".exe" : null);

    /// <summary>A process workload that runs the test workload with <paramref name="arguments"/>, probed by keys unless configured otherwise.</summary>
    public static WorkloadDescriptor Describe(string id, IEnumerable<string> arguments, Action<FailoverWorkloadOptions>? configure = null)
    {
        var options = new FailoverWorkloadOptions { Id = id, Kind = WorkloadKind.Process };

        // The apphost makes the workload's pid the program's own; "dotnet app.dll" runs in
        // one process too, for a build without an apphost.
        if (File.Exists(AppHostPath))
        {
            options.Process.FileName = AppHostPath;
        }
        else
        {
            options.Process.FileName = "dotnet";
            options.Process.Arguments.Add(DllPath);
        }

        foreach (string argument in arguments)
        {
            options.Process.Arguments.Add(argument);
        }

        configure?.Invoke(options);
        return new WorkloadDescriptor(options, RandomNumberGenerator.GetBytes(32));
    }
}
