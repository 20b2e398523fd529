namespace AdaBelief.Optimization.Kernels;

/// <summary>
/// Turns the options, the step number and the learning rate into the scalars of one fused pass. All of the
/// per-step arithmetic (bias corrections, rectification, Nesterov weights, decay factor) happens here, once, in double.
/// </summary>
internal static class StepCoefficientsFactory
{
    /// <param name="options">Validated options.</param>
    /// <param name="step">The 1-based number of the step about to be applied (t).</param>
    /// <param name="learningRate">α for this step.</param>
    /// <param name="clipScale">min(1, c / ‖g‖), or 1 without norm clipping.</param>
    /// <param name="usesDenominator">False when the rectified method takes a plain momentum step (ρₜ &lt; 5).</param>
    public static StepCoefficients Create(
        AdaBeliefOptions options, long step, double learningRate, double clipScale, out bool usesDenominator)
    {
        double beta1 = options.Beta1;
        double beta2 = options.Beta2;
        double beta2Power = Math.Pow(beta2, step);
        double firstCorrection = 1 - Math.Pow(beta1, step);
        double secondCorrection = 1 - beta2Power;

        // m̂ = A·m + B·g: plain bias correction, or optax's Nesterov look-ahead.
        double momentumWeight = options.Nesterov ? beta1 / (1 - Math.Pow(beta1, step + 1)) : 1 / firstCorrection;
        double gradientWeight = options.Nesterov ? (1 - beta1) / firstCorrection : 0;
        double secondMomentScale = 1 / secondCorrection;
        usesDenominator = true;

        if (options.Rectify)
        {
            double rhoInfinity = 2 / (1 - beta2) - 1;
            double rho = rhoInfinity - 2 * step * beta2Power / secondCorrection;
            if (rho >= 5)
            {
                // RAdam's step: α·rₜ·√(1 − β₂ᵗ)·m̂ / (√s + ε), so s enters the denominator without its correction.
                double r = Math.Sqrt((rho - 4) * (rho - 2) * rhoInfinity / ((rhoInfinity - 4) * (rhoInfinity - 2) * rho));
                double scale = r * Math.Sqrt(secondCorrection);
                momentumWeight *= scale;
                gradientWeight *= scale;
                secondMomentScale = 1;
            }
            else
            {
                usesDenominator = false;
            }
        }

        double coupledDecay = options.DecoupledWeightDecay ? 0 : options.WeightDecay;
        double decoupledDecay = options.DecoupledWeightDecay ? options.WeightDecay : 0;
        float clipBound = options.GradientClipValue is { } bound ? (float)bound : float.PositiveInfinity;

        return new StepCoefficients(
            ClipScale: (float)clipScale,
            ClipLow: -clipBound,
            ClipHigh: clipBound,
            CoupledDecay: (float)coupledDecay,
            Beta1: (float)beta1,
            OneMinusBeta1: (float)(1 - beta1),
            Beta2: (float)beta2,
            OneMinusBeta2: (float)(1 - beta2),
            Epsilon: (float)options.Epsilon,
            MomentumWeight: (float)(learningRate * momentumWeight),
            GradientWeight: (float)(learningRate * gradientWeight),
            SecondMomentScale: (float)secondMomentScale,
            DecayFactor: (float)(1 - learningRate * decoupledDecay));
    }
}
