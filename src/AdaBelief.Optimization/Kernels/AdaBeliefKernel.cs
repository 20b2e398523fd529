using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AdaBelief.Optimization.Kernels;

/// <summary>
/// The fused AdaBelief update: one pass over parameters, gradients and moments that clips, decays, updates both
/// moments and the parameters, reading each array once and writing each once. Written once, generic over the
/// register width (<see cref="ISimdWidth{TVector}"/>) and the variant (<see cref="IKernelVariant"/>); the elements
/// that do not fill a register are finished one at a time by the same code at scalar width, so no element is ever
/// updated twice.
/// </summary>
internal static class AdaBeliefKernel
{
    /// <summary>
    /// Applies one step to a tensor and its state; all spans have the same length (the caller checks), and sMax is
    /// empty unless amsgrad. Returns false if a gradient element was not finite (its lanes were left untouched);
    /// always true unless guardNonFinite.
    /// </summary>
    public static bool Apply(
        in StepCoefficients coefficients,
        Span<float> parameters,
        ReadOnlySpan<float> gradients,
        Span<float> m,
        Span<float> s,
        Span<float> sMax,
        bool amsgrad,
        bool usesDenominator,
        bool guardNonFinite,
        KernelWidth width = KernelWidth.Auto) =>
        (amsgrad, usesDenominator, guardNonFinite) switch
        {
            (false, true, false) => ApplyVariant<KernelVariants.Plain>(coefficients, parameters, gradients, m, s, sMax, width),
            (false, true, true) => ApplyVariant<KernelVariants.Guarded>(coefficients, parameters, gradients, m, s, sMax, width),
            (true, true, false) => ApplyVariant<KernelVariants.Ams>(coefficients, parameters, gradients, m, s, sMax, width),
            (true, true, true) => ApplyVariant<KernelVariants.AmsGuarded>(coefficients, parameters, gradients, m, s, sMax, width),
            (false, false, false) => ApplyVariant<KernelVariants.Momentum>(coefficients, parameters, gradients, m, s, sMax, width),
            (false, false, true) => ApplyVariant<KernelVariants.MomentumGuarded>(coefficients, parameters, gradients, m, s, sMax, width),
            (true, false, false) => ApplyVariant<KernelVariants.AmsMomentum>(coefficients, parameters, gradients, m, s, sMax, width),
            (true, false, true) => ApplyVariant<KernelVariants.AmsMomentumGuarded>(coefficients, parameters, gradients, m, s, sMax, width),
        };

    private static bool ApplyVariant<TVariant>(
        in StepCoefficients c, Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> s, Span<float> sMax, KernelWidth width)
        where TVariant : struct, IKernelVariant =>
        KernelWidthSelection.Resolve(width) switch
        {
            KernelWidth.Vector512 => Loop<Width512, Vector512<float>, TVariant>(c, p, g, m, s, sMax),
            KernelWidth.Vector256 => Loop<Width256, Vector256<float>, TVariant>(c, p, g, m, s, sMax),
            KernelWidth.Vector128 => Loop<Width128, Vector128<float>, TVariant>(c, p, g, m, s, sMax),
            _ => Loop<ScalarWidth, float, TVariant>(c, p, g, m, s, sMax),
        };

    // Optimized straight away: a training loop calls this a few times per epoch, too rarely for tiering to promote
    // it before it has run for a long time at the unoptimized tier.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Loop<TWidth, TVector, TVariant>(
        in StepCoefficients c, Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> m, Span<float> s, Span<float> sMax)
        where TWidth : struct, ISimdWidth<TVector>
        where TVector : struct
        where TVariant : struct, IKernelVariant
    {
        ref float p = ref MemoryMarshal.GetReference(parameters);
        ref float g = ref MemoryMarshal.GetReference(gradients);
        ref float mr = ref MemoryMarshal.GetReference(m);
        ref float sr = ref MemoryMarshal.GetReference(s);
        ref float xr = ref MemoryMarshal.GetReference(sMax);
        nuint length = (nuint)parameters.Length;
        nuint i = 0;
        bool allFinite = true;

        if (TWidth.Count > 1 && length >= (nuint)TWidth.Count)
        {
            var vector = new Constants<TWidth, TVector>(c);
            nuint vectorEnd = length - (length % (nuint)TWidth.Count);
            for (; i < vectorEnd; i += (nuint)TWidth.Count)
                allFinite &= Update<TWidth, TVector, TVariant>(vector, ref p, ref g, ref mr, ref sr, ref xr, i);
        }

        if (i < length)
        {
            var scalar = new Constants<ScalarWidth, float>(c);
            for (; i < length; i++)
                allFinite &= Update<ScalarWidth, float, TVariant>(scalar, ref p, ref g, ref mr, ref sr, ref xr, i);
        }

        return allFinite;
    }

    /// <summary>
    /// Updates the register at <paramref name="i"/>; returns false if one of its gradients was not finite. Shared with
    /// <see cref="SparseAdaBeliefKernel"/>, so a coordinate gets the same bits from either step.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool Update<TWidth, TVector, TVariant>(
        in Constants<TWidth, TVector> k, ref float p, ref float g, ref float m, ref float s, ref float sMax, nuint i)
        where TWidth : struct, ISimdWidth<TVector>
        where TVector : struct
        where TVariant : struct, IKernelVariant
    {
        UpdatedRegister<TVector> updated = Compute<TWidth, TVector, TVariant>(k, ref p, ref g, ref m, ref s, ref sMax, i);
        Store<TWidth, TVector, TVariant>(updated, ref p, ref m, ref s, ref sMax, i);
        return updated.Finite;
    }

    /// <summary>
    /// The update of the register at <paramref name="i"/>, computed but not yet stored: a row whose length is not a
    /// multiple of the register computes its last, overlapping register from the old values before the registers
    /// before it are stored (see <see cref="SparseAdaBeliefKernel"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static UpdatedRegister<TVector> Compute<TWidth, TVector, TVariant>(
        in Constants<TWidth, TVector> k, ref float p, ref float g, ref float m, ref float s, ref float sMax, nuint i)
        where TWidth : struct, ISimdWidth<TVector>
        where TVector : struct
        where TVariant : struct, IKernelVariant
    {
        TVector gradient = TWidth.Load(ref g, i);
        TVector parameter = TWidth.Load(ref p, i);
        TVector oldM = TWidth.Load(ref m, i);
        TVector oldS = TWidth.Load(ref s, i);

        TVector x = TWidth.Min(TWidth.Max(TWidth.Multiply(gradient, k.ClipScale), k.ClipLow), k.ClipHigh);
        x = TWidth.MultiplyAdd(k.CoupledDecay, parameter, x);
        TVector newM = TWidth.MultiplyAdd(k.Beta1, oldM, TWidth.Multiply(k.OneMinusBeta1, x));
        TVector residual = TWidth.Subtract(x, newM);
        TVector newS = TWidth.MultiplyAdd(
            k.Beta2, oldS, TWidth.MultiplyAdd(TWidth.Multiply(k.OneMinusBeta2, residual), residual, k.Epsilon));

        TVector oldMax = default;
        TVector newMax = default;
        TVector belief = newS;
        if (TVariant.Amsgrad)
        {
            oldMax = TWidth.Load(ref sMax, i);
            newMax = TWidth.Max(oldMax, newS);
            belief = newMax;
        }

        TVector step = TWidth.MultiplyAdd(k.MomentumWeight, newM, TWidth.Multiply(k.GradientWeight, x));
        if (TVariant.UsesDenominator)
        {
            TVector denominator = TWidth.Add(TWidth.Sqrt(TWidth.Multiply(belief, k.SecondMomentScale)), k.Epsilon);
            step = TWidth.Divide(step, TWidth.Max(denominator, k.SmallestDenominator));
        }

        TVector newP = TWidth.Subtract(TWidth.Multiply(parameter, k.DecayFactor), step);

        bool finite = true;
        if (TVariant.GuardsNonFinite)
        {
            TVector mask = TWidth.FiniteMask(gradient);
            finite = TWidth.AllSet(mask);
            if (!finite)
            {
                newP = TWidth.Select(mask, newP, parameter);
                newM = TWidth.Select(mask, newM, oldM);
                newS = TWidth.Select(mask, newS, oldS);
                newMax = TWidth.Select(mask, newMax, oldMax);
            }
        }

        return new UpdatedRegister<TVector>(newP, newM, newS, newMax, finite);
    }

    /// <summary>Stores a register computed by <see cref="Compute"/> at <paramref name="i"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Store<TWidth, TVector, TVariant>(in UpdatedRegister<TVector> updated, ref float p, ref float m, ref float s, ref float sMax, nuint i)
        where TWidth : struct, ISimdWidth<TVector>
        where TVector : struct
        where TVariant : struct, IKernelVariant
    {
        TWidth.Store(updated.Parameter, ref p, i);
        TWidth.Store(updated.FirstMoment, ref m, i);
        TWidth.Store(updated.SecondMoment, ref s, i);
        if (TVariant.Amsgrad)
            TWidth.Store(updated.MaxSecondMoment, ref sMax, i);
    }

    /// <summary>One register's new parameters and moments, and whether its gradients were finite.</summary>
    internal readonly struct UpdatedRegister<TVector>(TVector parameter, TVector firstMoment, TVector secondMoment, TVector maxSecondMoment, bool finite)
        where TVector : struct
    {
        public readonly TVector Parameter = parameter;
        public readonly TVector FirstMoment = firstMoment;
        public readonly TVector SecondMoment = secondMoment;
        public readonly TVector MaxSecondMoment = maxSecondMoment;
        public readonly bool Finite = finite;
    }

    /// <summary>The step coefficients broadcast to registers once per call, outside the element loop.</summary>
    internal struct Constants<TWidth, TVector>
        where TWidth : struct, ISimdWidth<TVector>
        where TVector : struct
    {
        public readonly TVector ClipScale;
        public readonly TVector ClipLow;
        public readonly TVector ClipHigh;
        public readonly TVector CoupledDecay;
        public readonly TVector Beta1;
        public readonly TVector OneMinusBeta1;
        public readonly TVector Beta2;
        public readonly TVector OneMinusBeta2;
        public readonly TVector Epsilon;
        // The bias-corrected weights change per row under per-row step counts; the rest is fixed for a step.
        public TVector MomentumWeight;
        public TVector GradientWeight;
        public TVector SecondMomentScale;
        public readonly TVector DecayFactor;
        public readonly TVector SmallestDenominator;

        // Inlined so the JIT can keep the broadcasts in registers instead of building the struct in memory per call.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Constants(in StepCoefficients c)
        {
            ClipScale = TWidth.Splat(c.ClipScale);
            ClipLow = TWidth.Splat(c.ClipLow);
            ClipHigh = TWidth.Splat(c.ClipHigh);
            CoupledDecay = TWidth.Splat(c.CoupledDecay);
            Beta1 = TWidth.Splat(c.Beta1);
            OneMinusBeta1 = TWidth.Splat(c.OneMinusBeta1);
            Beta2 = TWidth.Splat(c.Beta2);
            OneMinusBeta2 = TWidth.Splat(c.OneMinusBeta2);
            Epsilon = TWidth.Splat(c.Epsilon);
            MomentumWeight = TWidth.Splat(c.MomentumWeight);
            GradientWeight = TWidth.Splat(c.GradientWeight);
            SecondMomentScale = TWidth.Splat(c.SecondMomentScale);
            DecayFactor = TWidth.Splat(c.DecayFactor);
            SmallestDenominator = TWidth.Splat(StepCoefficients.SmallestDenominator);
        }

        /// <summary>
        /// Replaces the three bias-corrected weights (a row's or a lane's own), in place: copying all fourteen registers
        /// per row would cost more than the row's update.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void SetRowWeights(TVector momentumWeight, TVector gradientWeight, TVector secondMomentScale)
        {
            MomentumWeight = momentumWeight;
            GradientWeight = gradientWeight;
            SecondMomentScale = secondMomentScale;
        }
    }
}
