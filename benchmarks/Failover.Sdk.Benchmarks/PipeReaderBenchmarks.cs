using System.Buffers;
using System.IO.Pipelines;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Failover.Sdk.Wire;

namespace Failover.Sdk.Benchmarks;

/// <summary>
/// Per-frame cost of reading back-to-back heartbeats from a <see cref="PipeReader"/> the
/// way a stream transport does (ReadAsync, decode every whole frame, AdvanceTo): from one
/// contiguous segment (the baseline), from 4 KiB segments (a socket pipe's default) and
/// from 32-byte segments, where every frame straddles a boundary and is copied to scratch.
/// </summary>
/// <remarks>
/// Each invocation creates one PipeReader over <see cref="FrameCount"/> frames; its
/// allocation is shared by all of them, so it shows as a fraction of a byte per frame.
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class PipeReaderBenchmarks
{
    private const int FrameCount = 1024;
    private const string Category = "PipeReader";

    // Replay protection off: every invocation reads the same frames again.
    private readonly FrameReader _reader = new(new FrameReaderOptions { ReplayWindowCapacity = 0 });

    private ReadOnlySequence<byte> _oneSegment;
    private ReadOnlySequence<byte> _segments4K;
    private ReadOnlySequence<byte> _segments32;

    [GlobalSetup]
    public void Setup()
    {
        var writer = new FrameWriter();
        int length = writer.GetLength(FrameType.Heartbeat);
        byte[] stream = new byte[FrameCount * length];
        for (int i = 0; i < FrameCount; i++)
        {
            writer.Write(SampleHeartbeat.Frame(sequence: (ulong)i + 1), stream.AsSpan(i * length));
        }

        _oneSegment = new ReadOnlySequence<byte>(stream);
        _segments4K = ChunkedSequence.Create(stream, 4096);
        _segments32 = ChunkedSequence.Create(stream, 32);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = FrameCount), BenchmarkCategory(Category)]
    public ValueTask<ulong> OneSegment() => DrainAsync(PipeReader.Create(_oneSegment));

    [Benchmark(OperationsPerInvoke = FrameCount), BenchmarkCategory(Category)]
    public ValueTask<ulong> Segments4K() => DrainAsync(PipeReader.Create(_segments4K));

    [Benchmark(OperationsPerInvoke = FrameCount), BenchmarkCategory(Category)]
    public ValueTask<ulong> Segments32() => DrainAsync(PipeReader.Create(_segments32));

    private async ValueTask<ulong> DrainAsync(PipeReader pipe)
    {
        ulong fold = 0;
        int frames = 0;
        bool completed = false;

        // Bounded: a pipe over a fixed sequence completes on its first read, and a pipe
        // that yields no frame in that many reads is a bug in this benchmark.
        for (int reads = 0; !completed && reads <= FrameCount; reads++)
        {
            ReadResult result = await pipe.ReadAsync();
            ReadOnlySequence<byte> buffer = result.Buffer;
            frames += DecodeAll(ref buffer, ref fold);
            pipe.AdvanceTo(buffer.Start, buffer.End);
            completed = result.IsCompleted;
        }

        await pipe.CompleteAsync();
        if (frames != FrameCount)
        {
            throw new InvalidOperationException($"Decoded {frames} frames instead of {FrameCount}.");
        }

        return fold;
    }

    /// <summary>Decodes every whole frame at the start of <paramref name="buffer"/> and slices them off.</summary>
    private int DecodeAll(ref ReadOnlySequence<byte> buffer, ref ulong fold)
    {
        int frames = 0;
        while (true)
        {
            FrameReadResult result = _reader.Read(buffer, out Frame frame);
            if (result.Status != FrameReadStatus.Frame)
            {
                return result.Status == FrameReadStatus.NeedMoreData
                    ? frames
                    : throw new InvalidOperationException($"Frame rejected: {result.Reason}.");
            }

            fold ^= Fold.Of(frame);
            buffer = buffer.Slice(result.BytesConsumed);
            frames++;
        }
    }
}
