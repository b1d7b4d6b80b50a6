using Failover.Sdk.Transports;
using Microsoft.Extensions.Time.Testing;

namespace Failover.Sdk.Tests.Transports;

public class ReconnectBackoffTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void CanAttempt_is_true_until_a_failure()
    {
        var backoff = new ReconnectBackoff(_time);

        Assert.True(backoff.CanAttempt(_time.GetTimestamp()));
        Assert.Equal(TimeSpan.Zero, backoff.Delay);
    }

    [Fact]
    public void OnFailure_doubles_the_delay_from_100_ms_up_to_5_s()
    {
        var backoff = new ReconnectBackoff(_time);
        var delays = new List<TimeSpan>();
        for (int i = 0; i < 9; i++)
        {
            backoff.OnFailure(_time.GetTimestamp());
            delays.Add(backoff.Delay);
        }

        Assert.Equal(
            new[] { 100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000 }.Select(ms => TimeSpan.FromMilliseconds(ms)),
            delays);
    }

    [Fact]
    public void CanAttempt_waits_out_the_delay_since_the_last_failure()
    {
        var backoff = new ReconnectBackoff(_time);
        backoff.OnFailure(_time.GetTimestamp());
        backoff.OnFailure(_time.GetTimestamp());

        _time.Advance(TimeSpan.FromMilliseconds(199));
        Assert.False(backoff.CanAttempt(_time.GetTimestamp()));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(backoff.CanAttempt(_time.GetTimestamp()));
    }

    [Fact]
    public void Reset_forgets_the_failures()
    {
        var backoff = new ReconnectBackoff(_time);
        backoff.OnFailure(_time.GetTimestamp());
        backoff.OnFailure(_time.GetTimestamp());

        backoff.Reset();

        Assert.True(backoff.CanAttempt(_time.GetTimestamp()));
        backoff.OnFailure(_time.GetTimestamp());
        Assert.Equal(ReconnectBackoff.Initial, backoff.Delay);
    }
}
