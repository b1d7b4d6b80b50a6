namespace Failover.Sdk.Coordination;

/// <summary>
/// The rule every workload id follows, checked before it reaches a store: ids become etcd
/// keys, log fields and file names, so they are short and plain.
/// </summary>
internal static class WorkloadIds
{
    public const int MaxLength = 128;

    public static void Validate(string workloadId, string paramName = "workloadId")
    {
        ArgumentNullException.ThrowIfNull(workloadId, paramName);
        if (workloadId.Length is 0 or > MaxLength)
        {
            throw new ArgumentException($"Workload id '{Shorten(workloadId)}' has {workloadId.Length} characters; it must have 1 to {MaxLength}.", paramName);
        }

        foreach (char c in workloadId)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
            {
                throw new ArgumentException($"Workload id '{Shorten(workloadId)}' contains '{c}' (U+{(int)c:X4}); only ASCII letters, digits, '-', '_', '.' and ':' are allowed.", paramName);
            }
        }
    }

    private static string Shorten(string id) => id.Length <= 40 ? id : string.Concat(id.AsSpan(0, 40), "…");
}
