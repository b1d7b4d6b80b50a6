using Failover.Sdk.Configuration;
using Microsoft.Extensions.Options;

namespace Failover.Sdk.Tests.Configuration;

public class DetectorOptionsValidationTests
{
    private static readonly FailoverOptionsValidator Validator = new();

    private static string Failure(Action<FailoverOptions> change)
    {
        var options = new FailoverOptions { NodeId = 1 };
        change(options);
        ValidateOptionsResult result = Validator.Validate(null, options);
        Assert.True(result.Failed, "expected the options to be rejected");
        return result.FailureMessage;
    }

    [Fact]
    public void Phi_accrual_with_its_options_passes()
    {
        var options = new FailoverOptions
        {
            NodeId = 1,
            Detector = FailoverDetectorKind.PhiAccrual,
            PhiThreshold = 12,
            PhiMinStdDeviation = TimeSpan.FromMilliseconds(20),
            AcceptableHeartbeatPause = TimeSpan.FromSeconds(1),
            RiseCount = 3,
        };

        Assert.True(Validator.Validate(null, options).Succeeded);
    }

    [Fact]
    public void An_undefined_detector_is_rejected()
    {
        Assert.Contains("Failover:Detector is 7; it must be Fixed or PhiAccrual.", Failure(o => o.Detector = (FailoverDetectorKind)7), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "Failover:PhiThreshold is 0;")]
    [InlineData(-1, "Failover:PhiThreshold is -1;")]
    [InlineData(100.5, "Failover:PhiThreshold is 100.5;")]
    [InlineData(double.NaN, "Failover:PhiThreshold is NaN;")]
    public void Phi_threshold_out_of_range_names_the_option_and_value(double threshold, string expected)
    {
        Assert.Contains(expected, Failure(o => o.PhiThreshold = threshold), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "Failover:PhiMinStdDeviation is 00:00:00;")]
    [InlineData(-5, "Failover:PhiMinStdDeviation is -00:00:00.0050000;")]
    public void Phi_min_std_deviation_must_be_positive(int milliseconds, string expected)
    {
        Assert.Contains(expected, Failure(o => o.PhiMinStdDeviation = TimeSpan.FromMilliseconds(milliseconds)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_negative_acceptable_pause_is_rejected()
    {
        Assert.Contains("Failover:AcceptableHeartbeatPause is -00:00:01;", Failure(o => o.AcceptableHeartbeatPause = TimeSpan.FromSeconds(-1)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void Rise_count_out_of_range_is_rejected(int rise)
    {
        Assert.Contains($"Failover:RiseCount is {rise}; it must be between 1 and 1000.", Failure(o => o.RiseCount = rise), StringComparison.Ordinal);
    }
}
