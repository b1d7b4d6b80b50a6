using Failover.Sdk.Transports;
using Microsoft.Extensions.Time.Testing;

namespace Failover.Sdk.Tests.Transports;

public class LogThrottleTests
{
    [Fact]
    public void TryEnter_lets_one_through_per_interval_and_reports_how_many_it_held_back()
    {
        var time = new FakeTimeProvider();
        var throttle = new LogThrottle(time, TimeSpan.FromSeconds(10));

        Assert.True(throttle.TryEnter(out long first));
        Assert.Equal(0, first);
        Assert.False(throttle.TryEnter(out _));
        Assert.False(throttle.TryEnter(out _));

        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(throttle.TryEnter(out _));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(throttle.TryEnter(out long held));
        Assert.Equal(3, held);
    }
}
