using System.Runtime.InteropServices;

namespace Aims.Storage;

/// <summary>
/// The POSIX <c>link(2)</c> call, which .NET does not expose: it gives a file a second name and fails with EEXIST when
/// that name is taken, in one step, which is what a create-only write of a finished file needs.
/// </summary>
internal static class UnixLinks
{
    /// <summary>EEXIST on Linux and macOS.</summary>
    public const int AlreadyExists = 17;

    /// <summary>EPERM (1), EXDEV (18), EMLINK (31) on Linux, ENOTSUP (95 on Linux, 45 on macOS): the file system cannot link.</summary>
    public static bool MeansNoHardLinks(int errno) => errno is 1 or 18 or 31 or 95 || (OperatingSystem.IsMacOS() && errno == 45);

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string existing, [MarshalAs(UnmanagedType.LPUTF8Str)] string created);
}
