using System.Buffers;
using System.Text.Json;
using Failover.Sdk.Coordination;
using Google.Protobuf;
using Mvccpb;

namespace Failover.Sdk.Etcd.Keys;

/// <summary>
/// The values under the store's keys: small JSON objects, readable with <c>etcdctl get</c>,
/// with a format version <c>v</c> so a later format can be told apart.
/// Owner: <c>{"v":1,"node":3,"lease":7587869203948}</c>. Member: <c>{"v":1,"incarnation":5}</c>.
/// A value that does not read is a <see cref="CoordinationException"/> naming its key.
/// </summary>
internal static class EtcdValues
{
    public const int Version = 1;

    public static ByteString Owner(uint nodeId, long leaseId) => Write(w =>
    {
        w.WriteNumber("node", nodeId);
        w.WriteNumber("lease", leaseId);
    });

    public static ByteString Member(uint incarnation) => Write(w => w.WriteNumber("incarnation", incarnation));

    /// <summary>The ownership <paramref name="kv"/> records; its fencing token is the revision that wrote it.</summary>
    public static OwnershipRecord ReadOwner(KeyValue kv, string workloadId)
    {
        string key = kv.Key.ToStringUtf8();
        (uint node, long lease, _) = Read(kv, key, owner: true);
        if (node == 0)
        {
            throw Corrupt(key, "it names node 0");
        }

        // An owner entry that is not on its own lease would never expire with it.
        if (kv.Lease != lease)
        {
            throw Corrupt(key, $"it names lease {lease} but is attached to lease {kv.Lease}");
        }

        return new OwnershipRecord(workloadId, node, lease, kv.ModRevision);
    }

    public static ClusterMember ReadMember(KeyValue kv, uint nodeId)
    {
        string key = kv.Key.ToStringUtf8();
        (_, _, uint incarnation) = Read(kv, key, owner: false);
        return new ClusterMember(nodeId, incarnation, kv.Lease);
    }

    internal static CoordinationException Corrupt(string key, string problem) =>
        new($"etcd key '{key}' does not hold what the Failover.Sdk etcd store writes there: {problem}. Delete or fix the key; until then the workload or member it stands for cannot be read.");

    private static ByteString Write(Action<Utf8JsonWriter> fields)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", Version);
            fields(writer);
            writer.WriteEndObject();
        }

        return ByteString.CopyFrom(buffer.WrittenSpan);
    }

    private static (uint Node, long Lease, uint Incarnation) Read(KeyValue kv, string key, bool owner)
    {
        int? version = null;
        uint? node = null, incarnation = null;
        long? lease = null;
        try
        {
            var reader = new Utf8JsonReader(kv.Value.Span);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw Corrupt(key, $"the value is not a JSON object ({Describe(kv.Value)})");
            }

            // Bounded by the value's length: every Read consumes at least one token.
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                reader.Read();
                switch (name)
                {
                    case "v":
                        version = reader.GetInt32();
                        break;
                    case "node":
                        node = reader.GetUInt32();
                        break;
                    case "lease":
                        lease = reader.GetInt64();
                        break;
                    case "incarnation":
                        incarnation = reader.GetUInt32();
                        break;
                    default:
                        reader.Skip(); // a field a later version 1 writer added
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            throw new CoordinationException(Corrupt(key, $"the value is not valid JSON ({Describe(kv.Value)})").Message, ex);
        }

        if (version is null)
        {
            throw Corrupt(key, $"the value has no format version \"v\" ({Describe(kv.Value)})");
        }

        if (version != Version)
        {
            throw Corrupt(key, $"the value is in format {version}, and this version of the store reads format {Version} only (a newer Failover.Sdk.Etcd wrote it?)");
        }

        if (owner && (node is null || lease is null))
        {
            throw Corrupt(key, $"an owner value needs \"node\" and \"lease\" ({Describe(kv.Value)})");
        }

        if (!owner && incarnation is null)
        {
            throw Corrupt(key, $"a member value needs \"incarnation\" ({Describe(kv.Value)})");
        }

        return (node ?? 0, lease ?? 0, incarnation ?? 0);
    }

    /// <summary>The value as text for a message, shortened: it came from outside.</summary>
    private static string Describe(ByteString value)
    {
        const int Shown = 60;
        if (value.Length == 0)
        {
            return "empty";
        }

        string text = System.Text.Encoding.UTF8.GetString(value.Span[..Math.Min(value.Length, Shown)]);
        text = new string([.. text.Select(c => char.IsControl(c) ? '?' : c)]);
        return $"{value.Length} bytes: '{text}{(value.Length > Shown ? "…" : string.Empty)}'";
    }
}
