namespace AdaBelief.Optimization.Kernels;

/// <summary>
/// Compile-time switches of the update kernel. Each is a constant of a struct type argument, so the JIT removes the
/// branches that a variant does not take and each variant runs as its own tight loop.
/// </summary>
internal interface IKernelVariant
{
    /// <summary>Keep the running maximum of the second moment and divide by it (AMSGrad): one more array to stream.</summary>
    static abstract bool Amsgrad { get; }

    /// <summary>Divide by the second-moment denominator; false only in the rectified method's early momentum-SGD steps.</summary>
    static abstract bool UsesDenominator { get; }

    /// <summary>
    /// Leave lanes whose gradient is not finite untouched and report them. Off when the gradient is already known to
    /// be finite (checked by the norm pass or the skip policy).
    /// </summary>
    static abstract bool GuardsNonFinite { get; }
}

/// <summary>The eight combinations of the kernel switches.</summary>
internal static class KernelVariants
{
    public readonly struct Plain : IKernelVariant
    {
        public static bool Amsgrad => false;
        public static bool UsesDenominator => true;
        public static bool GuardsNonFinite => false;
    }

    public readonly struct Guarded : IKernelVariant
    {
        public static bool Amsgrad => false;
        public static bool UsesDenominator => true;
        public static bool GuardsNonFinite => true;
    }

    public readonly struct Ams : IKernelVariant
    {
        public static bool Amsgrad => true;
        public static bool UsesDenominator => true;
        public static bool GuardsNonFinite => false;
    }

    public readonly struct AmsGuarded : IKernelVariant
    {
        public static bool Amsgrad => true;
        public static bool UsesDenominator => true;
        public static bool GuardsNonFinite => true;
    }

    public readonly struct Momentum : IKernelVariant
    {
        public static bool Amsgrad => false;
        public static bool UsesDenominator => false;
        public static bool GuardsNonFinite => false;
    }

    public readonly struct MomentumGuarded : IKernelVariant
    {
        public static bool Amsgrad => false;
        public static bool UsesDenominator => false;
        public static bool GuardsNonFinite => true;
    }

    public readonly struct AmsMomentum : IKernelVariant
    {
        public static bool Amsgrad => true;
        public static bool UsesDenominator => false;
        public static bool GuardsNonFinite => false;
    }

    public readonly struct AmsMomentumGuarded : IKernelVariant
    {
        public static bool Amsgrad => true;
        public static bool UsesDenominator => false;
        public static bool GuardsNonFinite => true;
    }
}
