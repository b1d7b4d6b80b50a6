using System.Globalization;
using Microsoft.Extensions.Options;

namespace Failover.Sdk.Etcd.Configuration;

/// <summary>
/// Validates <see cref="EtcdCoordinationOptions"/> when the host starts (and when a store is
/// created from them directly). Every message names the option by its configuration path and
/// quotes the offending value, except the password, which it never repeats.
/// </summary>
internal sealed class EtcdCoordinationOptionsValidator : IValidateOptions<EtcdCoordinationOptions>
{
    internal const int MaximumKeyPrefixLength = 256;
    internal static readonly TimeSpan MinimumTimeout = TimeSpan.FromMilliseconds(1);
    internal static readonly TimeSpan MaximumTimeout = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, EtcdCoordinationOptions options)
    {
        List<string> failures = Failures(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>What is wrong with <paramref name="options"/>, one message per problem.</summary>
    internal static List<string> Failures(EtcdCoordinationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string S = EtcdCoordinationOptions.SectionName;
        var failures = new List<string>();

        bool tls = false;
        if (!EtcdEndpoints.TryParse(options.Endpoints, out EtcdEndpoints? endpoints, out string? problem))
        {
            failures.Add($"{S}:Endpoints {problem}.");
        }
        else
        {
            tls = endpoints!.UseTls;
        }

        ValidateKeyPrefix(options.KeyPrefix, failures);
        ValidateCredentials(options, failures);
        if (endpoints is not null)
        {
            ValidateTls(options, tls, failures);
        }

        ValidateTimeout($"{S}:DialTimeout", options.DialTimeout, failures);
        ValidateTimeout($"{S}:RequestTimeout", options.RequestTimeout, failures);
        return failures;
    }

    private static void ValidateKeyPrefix(string? prefix, List<string> failures)
    {
        const string P = EtcdCoordinationOptions.SectionName + ":KeyPrefix";
        if (string.IsNullOrEmpty(prefix))
        {
            failures.Add($"{P} is not set; it must be a key prefix ending with '/', such as '{EtcdCoordinationOptions.DefaultKeyPrefix}'.");
        }
        else if (prefix.Length > MaximumKeyPrefixLength)
        {
            failures.Add($"{P} has {prefix.Length} characters; it must have at most {MaximumKeyPrefixLength}.");
        }
        else if (prefix.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            failures.Add($"{P} is '{prefix}', which contains a space or control character; use letters, digits and punctuation only.");
        }
        else if (!prefix.EndsWith('/'))
        {
            // Without it, "failover" would also cover the keys of a cluster under "failover2".
            failures.Add($"{P} is '{prefix}'; it must end with '/' (e.g. '{prefix}/'), so it cannot overlap another cluster's prefix.");
        }
    }

    private static void ValidateCredentials(EtcdCoordinationOptions options, List<string> failures)
    {
        const string S = EtcdCoordinationOptions.SectionName;
        bool user = options.Username is not null;
        bool password = options.Password is not null;
        if (user && string.IsNullOrWhiteSpace(options.Username))
        {
            failures.Add($"{S}:Username is blank; set a user name, or leave both Username and Password unset.");
        }
        else if (user && !password)
        {
            failures.Add($"{S}:Username is '{options.Username}' but {S}:Password is not set; set both or neither.");
        }
        else if (!user && password)
        {
            failures.Add($"{S}:Password is set but {S}:Username is not; set both or neither.");
        }
        else if (user && string.IsNullOrWhiteSpace(options.Password))
        {
            failures.Add($"{S}:Password is blank; etcd users have a password.");
        }
    }

    private static void ValidateTls(EtcdCoordinationOptions options, bool tls, List<string> failures)
    {
        const string S = EtcdCoordinationOptions.SectionName;
        (string Name, string? Path)[] files =
        [
            ("CaCertificatePath", options.CaCertificatePath),
            ("ClientCertificatePath", options.ClientCertificatePath),
            ("ClientKeyPath", options.ClientKeyPath),
        ];

        foreach ((string option, string? path) in files)
        {
            if (path is null)
            {
                continue;
            }

            if (!tls)
            {
                failures.Add($"{S}:{option} is set, but {S}:Endpoints are http:// URLs; TLS needs https:// endpoints.");
            }
            else if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
            {
                failures.Add($"{S}:{option} is '{path}', which is not a readable file; it must be the path of a PEM file.");
            }
        }

        if ((options.ClientCertificatePath is null) != (options.ClientKeyPath is null))
        {
            failures.Add($"{S}:ClientCertificatePath and {S}:ClientKeyPath go together: set both (a PEM certificate and its PEM private key) or neither.");
        }

        if (options.ConfigureSsl is not null && !tls)
        {
            failures.Add($"{S}:ConfigureSsl is set, but {S}:Endpoints are http:// URLs; TLS needs https:// endpoints.");
        }
    }

    private static void ValidateTimeout(string option, TimeSpan value, List<string> failures)
    {
        if (value < MinimumTimeout || value > MaximumTimeout)
        {
            failures.Add($"{option} is {Format(value)}; it must be between {Format(MinimumTimeout)} and {Format(MaximumTimeout)}.");
        }
    }

    private static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
