using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Failover.Sdk.Benchmarks.Protobuf;
using Failover.Sdk.Wire;
using Google.Protobuf;
using MemoryPack;

namespace Failover.Sdk.Benchmarks;

/// <summary>
/// Encode and decode of one heartbeat: Failover.Sdk's codec (untagged: the baseline;
/// tagged with HMAC-SHA256) against Google.Protobuf, MemoryPack and System.Text.Json,
/// all into and out of reused buffers.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[SuppressMessage("Reliability", "CA1001", Justification = "BenchmarkDotNet owns the lifetime: the JSON writer is disposed in [GlobalCleanup].")]
public class CodecBenchmarks
{
    private const string Encode = "Encode";
    private const string Decode = "Decode";

    private readonly byte[] _output = new byte[256];

    private Frame _frame;
    private FrameWriter _writer = null!;
    private FrameWriter _taggedWriter = null!;
    private byte[] _encoded = null!;
    private byte[] _taggedEncoded = null!;

    // Replay protection off: every iteration reads the same bytes, which a reader with
    // its replay window on rejects as Replayed from the second read on.
    private FrameReader _reader = null!;
    private FrameReader _taggedReader = null!;

    private FrameReader _replayReader = null!;
    private HeartbeatRing _ring = null!;

    private Heartbeat _protobuf = null!;
    private Heartbeat _protobufTarget = null!;
    private byte[] _protobufEncoded = null!;

    private HeartbeatPack _pack;
    private ArrayBufferWriter<byte> _packOutput = null!;
    private byte[] _packEncoded = null!;

    private HeartbeatJson _json;
    private ArrayBufferWriter<byte> _jsonOutput = null!;
    private Utf8JsonWriter _jsonWriter = null!;
    private byte[] _jsonEncoded = null!;

    [GlobalSetup]
    public void Setup()
    {
        var authenticator = new FrameAuthenticator(SampleHeartbeat.Key());
        _frame = SampleHeartbeat.Frame();
        _writer = new FrameWriter();
        _taggedWriter = new FrameWriter(authenticator);
        _encoded = _output.AsSpan(0, _writer.Write(_frame, _output)).ToArray();
        _taggedEncoded = _output.AsSpan(0, _taggedWriter.Write(_frame, _output)).ToArray();
        _reader = new FrameReader(new FrameReaderOptions { ReplayWindowCapacity = 0 });
        _taggedReader = new FrameReader(new FrameReaderOptions { ReplayWindowCapacity = 0, Authenticator = authenticator });
        _replayReader = new FrameReader();
        _ring = new HeartbeatRing(_writer);

        _protobuf = SampleHeartbeat.Protobuf();
        _protobufTarget = new Heartbeat();
        _protobufEncoded = _protobuf.ToByteArray();

        _pack = SampleHeartbeat.MemoryPack();
        _packOutput = new ArrayBufferWriter<byte>(256);
        _packEncoded = MemoryPackSerializer.Serialize(_pack);

        _json = SampleHeartbeat.Json();
        _jsonOutput = new ArrayBufferWriter<byte>(256);
        _jsonWriter = new Utf8JsonWriter(_jsonOutput);
        _jsonEncoded = JsonSerializer.SerializeToUtf8Bytes(_json, HeartbeatJsonContext.Default.HeartbeatJson);

        Console.WriteLine(
            $"// Heartbeat sizes in bytes: Failover.Sdk {_encoded.Length}, Failover.Sdk tagged {_taggedEncoded.Length}, " +
            $"Google.Protobuf {_protobufEncoded.Length}, MemoryPack {_packEncoded.Length}, System.Text.Json {_jsonEncoded.Length}");
    }

    [GlobalCleanup]
    public void Cleanup() => _jsonWriter.Dispose();

    [Benchmark(Baseline = true), BenchmarkCategory(Encode)]
    public int Encode_FailoverSdk() => _writer.Write(_frame, _output);

    [Benchmark, BenchmarkCategory(Encode)]
    public int Encode_FailoverSdk_Tagged() => _taggedWriter.Write(_frame, _output);

    [Benchmark, BenchmarkCategory(Encode)]
    public int Encode_Protobuf()
    {
        // WriteTo(Span) demands a span of exactly the message's size.
        int size = _protobuf.CalculateSize();
        _protobuf.WriteTo(_output.AsSpan(0, size));
        return size;
    }

    [Benchmark, BenchmarkCategory(Encode)]
    public int Encode_MemoryPack()
    {
        _packOutput.ResetWrittenCount();
        MemoryPackSerializer.Serialize(_packOutput, _pack);
        return _packOutput.WrittenCount;
    }

    [Benchmark, BenchmarkCategory(Encode)]
    public int Encode_SystemTextJson()
    {
        _jsonOutput.ResetWrittenCount();
        _jsonWriter.Reset(_jsonOutput);
        JsonSerializer.Serialize(_jsonWriter, _json, HeartbeatJsonContext.Default.HeartbeatJson);
        return _jsonOutput.WrittenCount;
    }

    [Benchmark(Baseline = true), BenchmarkCategory(Decode)]
    public ulong Decode_FailoverSdk()
    {
        FrameReadResult result = _reader.Read(_encoded, out Frame frame);
        return Fold.Of(frame) ^ (ulong)result.Status;
    }

    [Benchmark, BenchmarkCategory(Decode)]
    public ulong Decode_FailoverSdk_Tagged()
    {
        FrameReadResult result = _taggedReader.Read(_taggedEncoded, out Frame frame);
        return Fold.Of(frame) ^ (ulong)result.Status;
    }

    /// <summary>The default reader, replay window on, fed a fresh sequence number every time.</summary>
    [Benchmark, BenchmarkCategory(Decode)]
    public ulong Decode_FailoverSdk_ReplayWindow()
    {
        FrameReadResult result = _replayReader.Read(_ring.Next(), out Frame frame);
        return Fold.Of(frame) ^ (ulong)result.Status;
    }

    /// <summary>What a typical user writes: a new message per decode.</summary>
    [Benchmark, BenchmarkCategory(Decode)]
    public ulong Decode_Protobuf_ParseFrom() => Fold.Of(Heartbeat.Parser.ParseFrom(_protobufEncoded.AsSpan()));

    /// <summary>
    /// Merging into one reused message allocates nothing. Only correct because every field
    /// is non-zero: proto3 omits zero fields, so a merge would keep the previous value.
    /// </summary>
    [Benchmark, BenchmarkCategory(Decode)]
    public ulong Decode_Protobuf_MergeReused()
    {
        _protobufTarget.MergeFrom(_protobufEncoded.AsSpan());
        return Fold.Of(_protobufTarget);
    }

    [Benchmark, BenchmarkCategory(Decode)]
    public ulong Decode_MemoryPack() => Fold.Of(MemoryPackSerializer.Deserialize<HeartbeatPack>(_packEncoded));

    [Benchmark, BenchmarkCategory(Decode)]
    public ulong Decode_SystemTextJson() =>
        Fold.Of(JsonSerializer.Deserialize(_jsonEncoded.AsSpan(), HeartbeatJsonContext.Default.HeartbeatJson));
}
