using System.Text.Json.Serialization;

namespace Failover.Sdk.Benchmarks;

/// <summary>
/// Source-generated System.Text.Json metadata and fast paths for <see cref="HeartbeatJson"/>,
/// with the camelCase names a typical web-facing schema uses.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(HeartbeatJson))]
internal sealed partial class HeartbeatJsonContext : JsonSerializerContext;
