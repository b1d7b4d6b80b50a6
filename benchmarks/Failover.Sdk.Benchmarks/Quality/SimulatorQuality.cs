using System.Diagnostics;
using System.Globalization;
using Failover.Sdk.Simulation.Scenarios;
using Failover.Sdk.Simulation.Topology;

namespace Failover.Sdk.Benchmarks.Quality;

/// <summary>
/// The <c>quality</c> mode: detection time and mistake rate of every detector over a grid of
/// loss and jitter, the p^-k check of the fixed detector, and the detection targets, all in
/// the simulator with real agents.
/// </summary>
internal static class SimulatorQuality
{
    private static readonly double[] Losses = [0, 0.01, 0.05];
    private static readonly double[] Jitters = [0, 0.1, 0.3];
    private static readonly double[] MistakeLosses = [0.05, 0.10, 0.20];
    private const int K = 3;

    private static readonly DetectorChoice[] Detectors =
        [DetectorChoice.Fixed, DetectorChoice.Phi(1), DetectorChoice.Phi(3), DetectorChoice.Phi(8), DetectorChoice.Phi(12)];

    private static LinkCondition[] Conditions => [.. Losses.SelectMany(loss => Jitters.Select(jitter => new LinkCondition(loss, jitter)))];

    public static void Run(QualityOptions options)
    {
        long wallStart = Stopwatch.GetTimestamp();
        var report = new Report(options.Output);
        string loadBefore = MachineInfo.LoadAverage();
        AgentProfile baseline = AgentProfile.Default;
        TimeSpan interval = baseline.HeartbeatInterval;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Parallel };
        LinkCondition[] conditions = Conditions;
        CrashPlan plan = CrashPlan.ForInterval(interval, options.Crashes, options.Observers);

        var detection = new DetectionResult[conditions.Length, Detectors.Length];
        var mistakes = new FalseSuspicionResult[conditions.Length, Detectors.Length];
        int cells = conditions.Length * Detectors.Length;
        TimeSpan watched = TimeSpan.FromHours(options.Hours);
        System.Threading.Tasks.Parallel.For(0, 2 * cells, parallel, job =>
        {
            int cell = job % cells;
            int c = cell / Detectors.Length;
            int d = cell % Detectors.Length;
            AgentProfile agent = Detectors[d].Apply(baseline);
            LinkProfile link = conditions[c].Profile(interval);
            ulong seed = (options.Seed * 10_000) + (ulong)job;
            if (job < cells)
            {
                detection[c, d] = CrashDetection.Run(agent, link, plan, seed);
                Report.Progress($"detection {conditions[c].Label}, {Detectors[d].Label}: {detection[c, d].Summary.Count} samples in {detection[c, d].WallTime.TotalSeconds:F1} s");
            }
            else
            {
                mistakes[c, d] = FalseSuspicions.Run(agent, link, nodes: 2, watched, seed);
                Report.Progress($"mistakes {conditions[c].Label}, {Detectors[d].Label}: {mistakes[c, d].Mistakes} in {mistakes[c, d].WallTime.TotalSeconds:F1} s");
            }
        });

        var pk = new FalseSuspicionResult[MistakeLosses.Length];
        System.Threading.Tasks.Parallel.For(0, MistakeLosses.Length, parallel, i =>
        {
            LinkProfile link = new LinkCondition(MistakeLosses[i], 0).Profile(interval);
            pk[i] = FalseSuspicions.Run(baseline, link, nodes: 2, TimeSpan.FromHours(options.MistakeHours), (options.Seed * 10_000) + 5_000 + (ulong)i);
            Report.Progress($"p^-k {MistakeLosses[i]:P0}: {pk[i].Mistakes} in {pk[i].WallTime.TotalSeconds:F1} s");
        });

        AgentProfile[] targets = [AgentProfile.Fast, AgentProfile.Default];
        var targetResults = new DetectionResult[targets.Length];
        System.Threading.Tasks.Parallel.For(0, targets.Length, parallel, i =>
        {
            CrashPlan targetPlan = CrashPlan.ForInterval(targets[i].HeartbeatInterval, options.Crashes, options.Observers);
            targetResults[i] = CrashDetection.Run(targets[i], LinkProfile.Lan, targetPlan, (options.Seed * 10_000) + 6_000 + (ulong)i);
            Report.Progress($"target {targets[i].HeartbeatInterval.TotalMilliseconds} ms: {targetResults[i].Summary.Count} samples in {targetResults[i].WallTime.TotalSeconds:F1} s");
        });

        TimeSpan wall = Stopwatch.GetElapsedTime(wallStart);
        WriteDetection(report, conditions, detection, plan, interval);
        WriteMistakes(report, conditions, mistakes, watched);
        WritePowerCheck(report, pk, interval, TimeSpan.FromHours(options.MistakeHours));
        WriteTargets(report, targets, targetResults);
        report.Line(Invariant($"Machine: {MachineInfo.Describe()}. Load average before: {loadBefore}; after: {MachineInfo.LoadAverage()}."));
        report.Line(Invariant($"Wall time: {wall.TotalSeconds:F0} s with {options.Parallel} simulation(s) at once; simulated: {SimulatedHours(detection, mistakes, pk, targetResults):F0} h of virtual time in all."));
        report.Save();
    }

    private static void WriteDetection(Report report, LinkCondition[] conditions, DetectionResult[,] results, CrashPlan plan, TimeSpan interval)
    {
        report.Line(Invariant($"### Detection time (ms, mean / p99), {plan.Crashes} crashes × {plan.Observers} observers per cell"));
        report.Line();
        var table = new MarkdownTable(["loss, jitter", .. Detectors.Select(d => d.Label)]);
        int excluded = 0;
        for (int c = 0; c < conditions.Length; c++)
        {
            string[] cells = new string[Detectors.Length];
            for (int d = 0; d < Detectors.Length; d++)
            {
                DetectionResult r = results[c, d];
                Summary s = r.Summary;
                excluded += r.AlreadySuspected;
                cells[d] = Invariant($"{s.Mean:F0} / {s.P99:F0}") + (r.AlreadySuspected > 0 ? Invariant($" ({r.AlreadySuspected} excl.)") : "") + (r.Undetected > 0 ? Invariant($" **{r.Undetected} missed**") : "");
            }

            table.Row([conditions[c].Label, .. cells]);
        }

        report.Table(table);
        TimeSpan length = plan.Length(interval);
        report.Line(Invariant($"Each cell: {plan.Observers + 1} nodes, {plan.WarmUp.TotalSeconds:F0} s warm-up, then a crash every {(plan.Downtime + plan.Gap).TotalSeconds:F0}–{(plan.Downtime + plan.Gap + interval).TotalSeconds:F1} s (down {plan.Downtime.TotalSeconds:F0} s), about {length.TotalMinutes:F0} simulated minutes. \"excl.\": observers that already suspected the victim when it crashed (a false suspicion in progress), left out; {excluded} in all."));
        report.Line();
    }

    private static void WriteMistakes(Report report, LinkCondition[] conditions, FalseSuspicionResult[,] results, TimeSpan watched)
    {
        report.Line(Invariant($"### False suspicions per pair-hour (count; 95 % interval), {watched.TotalHours:F0} simulated hours × 2 pairs per cell"));
        report.Line();
        var table = new MarkdownTable(["loss, jitter", .. Detectors.Select(d => d.Label)]);
        for (int c = 0; c < conditions.Length; c++)
        {
            table.Row([conditions[c].Label, .. Enumerable.Range(0, Detectors.Length).Select(d => RateCell(results[c, d]))]);
        }

        report.Table(table);
    }

    private static string RateCell(FalseSuspicionResult r)
    {
        PoissonInterval ci = r.PerPairHourInterval;
        return r.Mistakes == 0
            ? Invariant($"0 (0; < {ci.High:0.###})")
            : Invariant($"{Rate(r.PerPairHour)} ({r.Mistakes}; {Rate(ci.Low)}–{Rate(ci.High)})");
    }

    private static string Rate(double perHour) => perHour >= 100 ? Invariant($"{perHour:F0}") : perHour >= 1 ? Invariant($"{perHour:F1}") : Invariant($"{perHour:0.###}");

    private static void WritePowerCheck(Report report, FalseSuspicionResult[] results, TimeSpan interval, TimeSpan watched)
    {
        report.Line(Invariant($"### The p^-k check: fixed detector, k = {K}, {interval.TotalMilliseconds:F0} ms, no jitter, {watched.TotalHours:F0} simulated hours × 2 pairs per row"));
        report.Line();
        var table = new MarkdownTable("loss p", "mistakes", "measured mean time between (s, 95 %)", "p^-k × interval (s)", "interval / ((1−p)·p^k) (s)", "measured / p^-k", "measured / (1−p)·p^k");
        for (int i = 0; i < results.Length; i++)
        {
            double p = MistakeLosses[i];
            FalseSuspicionResult r = results[i];
            double measured = r.MeanTimeBetween.TotalSeconds;
            PoissonInterval ci = PoissonInterval.Of(r.Mistakes);
            double naive = interval.TotalSeconds * Math.Pow(p, -K);
            double exact = interval.TotalSeconds / ((1 - p) * Math.Pow(p, K));
            table.Row(
                Invariant($"{p * 100:0} %"),
                Invariant($"{r.Mistakes}"),
                Invariant($"{measured:F1} ({r.PairTime.TotalSeconds / ci.High:F1}–{r.PairTime.TotalSeconds / ci.Low:F1})"),
                Invariant($"{naive:F1}"),
                Invariant($"{exact:F1}"),
                Invariant($"{measured / naive:F3}"),
                Invariant($"{measured / exact:F3}"));
        }

        report.Table(table);
    }

    private static void WriteTargets(Report report, AgentProfile[] targets, DetectionResult[] results)
    {
        report.Line("### Detection targets in the simulator (fixed k = 3, LAN profile: 100 µs ± 20 µs, no loss)");
        report.Line();
        var table = new MarkdownTable("profile", "samples", "mean (ms)", "p50 (ms)", "p99 (ms)", "max (ms)", "target p99", "verdict");
        for (int i = 0; i < targets.Length; i++)
        {
            double ms = targets[i].HeartbeatInterval.TotalMilliseconds;
            double target = ms == 10 ? 32 : 310;
            Summary s = results[i].Summary;
            table.Row(
                Invariant($"{ms:F0} ms × {targets[i].MissedHeartbeats}"),
                Invariant($"{s.Count}"),
                Invariant($"{s.Mean:F2}"),
                Invariant($"{s.Median:F2}"),
                Invariant($"{s.P99:F2}"),
                Invariant($"{s.Max:F2}"),
                Invariant($"≤ {target:F0} ms"),
                s.P99 <= target && results[i].Undetected == 0 ? "met" : "**missed**");
        }

        report.Table(table);
    }

    private static double SimulatedHours(DetectionResult[,] detection, FalseSuspicionResult[,] mistakes, FalseSuspicionResult[] pk, DetectionResult[] targets) =>
        (detection.Cast<DetectionResult>().Sum(r => r.Simulated.TotalHours)
        + mistakes.Cast<FalseSuspicionResult>().Sum(r => r.PairTime.TotalHours / 2)
        + pk.Sum(r => r.PairTime.TotalHours / 2)
        + targets.Sum(r => r.Simulated.TotalHours));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
