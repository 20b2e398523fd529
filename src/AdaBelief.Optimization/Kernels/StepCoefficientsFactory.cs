namespace AdaBelief.Optimization.Kernels;

/// <summary>
/// Turns the options, the step number and the learning rate into the scalars of one fused pass. All of the
/// per-step arithmetic (bias corrections, rectification, Nesterov weights, decay factor) happens here, once, in double.
/// </summary>
/// <remarks>
/// One factory per optimizer. The bias corrections 1 − βᵗ reach exactly 1 in double after a few hundred (β₁ = 0.9) or
/// tens of thousands (β₂ = 0.999) of steps. From a β's saturation step on, its power is taken as 0, which gives the same
/// correction bit for bit and skips a <see cref="Math.Pow(double, double)"/> call (slow once βᵗ is subnormal); once
/// both are saturated the coefficients depend only on the learning rate and the clipping scale, and the last ones are
/// reused while those stay the same. Together these were most of a small tensor's step.
/// </remarks>
internal sealed class StepCoefficientsFactory
{
    private readonly AdaBeliefOptions _options;
    private readonly long _beta1Saturation;
    private readonly long _beta2Saturation;
    private RowCorrectionTable? _rowCorrections;
    private bool _hasCached;
    private double _cachedLearningRate;
    private double _cachedClipScale;
    private StepCoefficients _cached;

    /// <param name="options">Validated options; not changed afterwards (the optimizer owns its copy).</param>
    public StepCoefficientsFactory(AdaBeliefOptions options)
    {
        _options = options;

        _beta1Saturation = SaturationStep(options.Beta1);

        // Rectification reads β₂ᵗ itself (in ρₜ), which stays significant long after 1 − β₂ᵗ rounds to 1.
        _beta2Saturation = options.Rectify ? long.MaxValue : SaturationStep(options.Beta2);
    }

    /// <param name="step">The 1-based number of the step about to be applied (t).</param>
    /// <param name="learningRate">α for this step.</param>
    /// <param name="clipScale">min(1, c / ‖g‖), or 1 without norm clipping.</param>
    /// <param name="usesDenominator">False when the rectified method takes a plain momentum step (ρₜ &lt; 5).</param>
    public StepCoefficients Create(long step, double learningRate, double clipScale, out bool usesDenominator)
    {
        if (step < _beta1Saturation || step < _beta2Saturation)
            return Compute(_options, step, learningRate, clipScale, step >= _beta1Saturation, step >= _beta2Saturation, out usesDenominator);

        usesDenominator = true;
        if (!_hasCached || learningRate != _cachedLearningRate || clipScale != _cachedClipScale)
        {
            _cached = Compute(_options, step, learningRate, clipScale, beta1Saturated: true, beta2Saturated: true, out _);
            _cachedLearningRate = learningRate;
            _cachedClipScale = clipScale;
            _hasCached = true;
        }

        return _cached;
    }

    /// <summary>The per-count corrections of <see cref="SparseStepCount.PerRow"/>, made on first use.</summary>
    public RowCorrectionTable RowCorrections => _rowCorrections ??= new RowCorrectionTable(_options, _beta1Saturation, _beta2Saturation);

    /// <summary>The first step t at which 1 − βᵗ (and 1 − βᵗ⁺¹, for Nesterov) is exactly 1 in double, as at every later step.</summary>
    internal static long SaturationStep(double beta)
    {
        if (beta == 0)
            return 1;

        // βᵗ falls by the factor β per step, far more than one rounding error, so 1 − βᵗ == 1 holds from the first
        // such t on; find it by doubling, then bisecting.
        long high = 1;
        while (1 - Math.Pow(beta, high) != 1)
            high *= 2;
        long low = high / 2;
        while (high - low > 1)
        {
            long middle = low + (high - low) / 2;
            if (1 - Math.Pow(beta, middle) == 1)
                high = middle;
            else
                low = middle;
        }

        return high;
    }

    /// <summary>
    /// The bias corrections of step <paramref name="step"/> before the learning rate: m̂ = A·m + B·g (plain, or optax's
    /// Nesterov look-ahead) and ŝ = C·s; with β₂ᵗ, which rectification reads. A saturated β's powers are 0.
    /// </summary>
    internal static (double MomentumWeight, double GradientWeight, double SecondMomentScale, double Beta2Power) Corrections(
        AdaBeliefOptions options, long step, bool beta1Saturated, bool beta2Saturated)
    {
        double beta1 = options.Beta1;
        double beta2Power = beta2Saturated ? 0 : Math.Pow(options.Beta2, step);
        double firstCorrection = 1 - (beta1Saturated ? 0 : Math.Pow(beta1, step));
        double momentumWeight = options.Nesterov ? beta1 / (1 - (beta1Saturated ? 0 : Math.Pow(beta1, step + 1))) : 1 / firstCorrection;
        double gradientWeight = options.Nesterov ? (1 - beta1) / firstCorrection : 0;
        return (momentumWeight, gradientWeight, 1 / (1 - beta2Power), beta2Power);
    }

    /// <summary>The coefficients from scratch; a saturated β's powers are taken as 0 (see the remarks).</summary>
    internal static StepCoefficients Compute(
        AdaBeliefOptions options, long step, double learningRate, double clipScale, bool beta1Saturated, bool beta2Saturated, out bool usesDenominator)
    {
        double beta1 = options.Beta1;
        double beta2 = options.Beta2;
        var (momentumWeight, gradientWeight, secondMomentScale, beta2Power) = Corrections(options, step, beta1Saturated, beta2Saturated);
        double secondCorrection = 1 - beta2Power;
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
                if (!options.DegenerateToSgd)
                {
                    // No step at all, as adabelief-pytorch's degenerated_to_sgd=False: the update term is 0·m̂.
                    momentumWeight = 0;
                    gradientWeight = 0;
                }
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
            DecayFactor: (float)(1 - (options.FixedDecay ? decoupledDecay : learningRate * decoupledDecay)));
    }
}
