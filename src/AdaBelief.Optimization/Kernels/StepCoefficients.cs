namespace AdaBelief.Optimization.Kernels;

/// <summary>
/// The per-step scalars of the fused update, computed once per step in double and rounded to float, so the element
/// loop only multiplies and adds. Every feature is folded into a coefficient whose neutral value leaves the result
/// bitwise unchanged (scale 1, bounds ±∞, decay 0 or factor 1, Nesterov weight 0), so one kernel serves every option.
/// </summary>
/// <remarks>Per element, with g the gradient and p the parameter:
/// <code>
/// g = clamp(g · ClipScale, ClipLow, ClipHigh) + CoupledDecay · p
/// m = Beta1 · m + OneMinusBeta1 · g
/// s = Beta2 · s + OneMinusBeta2 · (g − m)² + Epsilon          (sMax = max(sMax, s) with AMSGrad)
/// u = (MomentumWeight · m + GradientWeight · g) / max(√(s · SecondMomentScale) + Epsilon, SmallestDenominator)
/// p = p · DecayFactor − u
/// </code>
/// The learning rate and the bias corrections live in MomentumWeight, GradientWeight and SecondMomentScale.
/// </remarks>
internal readonly record struct StepCoefficients(
    float ClipScale,
    float ClipLow,
    float ClipHigh,
    float CoupledDecay,
    float Beta1,
    float OneMinusBeta1,
    float Beta2,
    float OneMinusBeta2,
    float Epsilon,
    float MomentumWeight,
    float GradientWeight,
    float SecondMomentScale,
    float DecayFactor)
{
    /// <summary>
    /// The floor of the denominator: the smallest normal float. It only matters when ε is 0 and a parameter's
    /// second moment is exactly 0 (its gradient has always been 0), where it turns 0/0 into 0 instead of NaN.
    /// </summary>
    public const float SmallestDenominator = 1.17549435E-38f;
}
