namespace Failover.Sdk.Tests.Wire;

/// <summary>Bytes a receiver might be handed by a broken or hostile peer, and how they were made.</summary>
/// <param name="Bytes">The input.</param>
/// <param name="Origin">How it was made, to read a counterexample.</param>
public sealed record HostileInput(byte[] Bytes, string Origin)
{
    public override string ToString() => $"{Origin} [{Bytes.Length}] {Convert.ToHexString(Bytes)}";
}
