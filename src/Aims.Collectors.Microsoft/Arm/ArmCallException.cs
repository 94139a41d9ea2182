namespace Aims.Collectors.Microsoft.Arm;

/// <summary>A Resource Manager call failed; the message names the call, the status and, for 403, the role to assign.</summary>
internal sealed class ArmCallException(ArmOperation operation, int? status, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public ArmOperation Operation { get; } = operation;

    public int? Status { get; } = status;
}
