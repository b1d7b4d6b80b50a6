using Failover.Sdk.Wire;

namespace Failover.Sdk.Tests.Wire;

/// <summary>Theory rows over every frame type, with and without a tag.</summary>
public static class WireTheoryData
{
    public static TheoryData<FrameType> Types() => [.. Enum.GetValues<FrameType>()];

    public static TheoryData<FrameType, bool> Shapes()
    {
        var data = new TheoryData<FrameType, bool>();
        foreach (FrameType type in Enum.GetValues<FrameType>())
        {
            data.Add(type, false);
            data.Add(type, true);
        }

        return data;
    }
}
