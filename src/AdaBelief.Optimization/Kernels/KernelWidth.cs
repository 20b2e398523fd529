using System.Runtime.Intrinsics;

namespace AdaBelief.Optimization.Kernels;

/// <summary>Which register width the update kernel runs with. Tests and benchmarks pin one; the optimizer uses <see cref="Auto"/>.</summary>
internal enum KernelWidth
{
    /// <summary>The widest width the hardware accelerates.</summary>
    Auto = 0,
    Vector512,
    Vector256,
    Vector128,
    Scalar,
}

internal static class KernelWidthSelection
{
    /// <summary>The width <see cref="KernelWidth.Auto"/> stands for on this machine.</summary>
    public static KernelWidth Best { get; } =
        Vector512.IsHardwareAccelerated ? KernelWidth.Vector512
        : Vector256.IsHardwareAccelerated ? KernelWidth.Vector256
        : Vector128.IsHardwareAccelerated ? KernelWidth.Vector128
        : KernelWidth.Scalar;

    /// <summary>
    /// The width to run: <see cref="Best"/> for <see cref="KernelWidth.Auto"/>, otherwise the one asked for. A width the
    /// hardware does not accelerate still runs (in software, giving the same bits), which lets tests cover every width.
    /// </summary>
    public static KernelWidth Resolve(KernelWidth width) => width == KernelWidth.Auto ? Best : width;
}
