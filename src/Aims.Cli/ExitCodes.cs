namespace Aims.Cli;

/// <summary>Process exit codes; documented in README.md.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Ok = 0;

    /// <summary><c>verify</c> found something altered, removed or added; or <c>gaps --fail-on</c> matched.</summary>
    public const int VerificationFailed = 1;

    /// <summary>Bad input: arguments, configuration, requirements or inventory. Nothing was written.</summary>
    public const int BadInput = 2;

    /// <summary>The store or a source failed in a way the command could not work around.</summary>
    public const int Failed = 3;

    /// <summary>Something the product did not expect went wrong (a bug): one line on stderr, the trace with --verbose.</summary>
    public const int InternalError = 70;

    /// <summary>Interrupted (Ctrl+C).</summary>
    public const int Cancelled = 130;
}
