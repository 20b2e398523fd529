namespace AdaBelief.Optimization;

/// <summary>
/// Settings of the <see cref="AdaBeliefOptimizer"/>. The optimizer validates and copies them when it is built, so
/// changing an options object afterwards does not affect an optimizer built from it.
/// </summary>
/// <remarks>
/// <para>One step, in this order, with g the gradient, θ the parameters and t = 1, 2, … the step number:</para>
/// <list type="number">
/// <item>g ← g · min(1, c / ‖g‖) if <see cref="GradientClipNorm"/> = c is set; ‖g‖ is the L2 norm over all tensors stepped together.</item>
/// <item>g ← clamp(g, −c, c) if <see cref="GradientClipValue"/> = c is set.</item>
/// <item>g ← g + λθ if <see cref="WeightDecay"/> = λ &gt; 0 and <see cref="DecoupledWeightDecay"/> is false.</item>
/// <item>m ← β₁m + (1 − β₁)g</item>
/// <item>s ← β₂s + (1 − β₂)(g − m)² + ε  (the new m; ε stays in the stored s)</item>
/// <item>θ ← θ − α · (m / (1 − β₁ᵗ)) / (√(s / (1 − β₂ᵗ)) + ε)</item>
/// </list>
/// <para>
/// With <see cref="DecoupledWeightDecay"/>, step 3 is replaced by θ ← θ − αλθ (AdamW style, using θ from before
/// the step), or θ ← θ − λθ with <see cref="FixedDecay"/>. <see cref="Amsgrad"/> uses max(sₘₐₓ, s) in place of s in
/// step 6. <see cref="Nesterov"/> replaces m / (1 − β₁ᵗ) by β₁m / (1 − β₁ᵗ⁺¹) + (1 − β₁)g / (1 − β₁ᵗ), as optax does.
/// </para>
/// <para>
/// <see cref="Rectify"/> replaces step 6 by RAdam's: with ρ∞ = 2 / (1 − β₂) − 1 and ρₜ = ρ∞ − 2tβ₂ᵗ / (1 − β₂ᵗ), once
/// ρₜ ≥ 5 the step is θ ← θ − α·rₜ·√(1 − β₂ᵗ)·m̂ / (√s + ε), with rₜ = √((ρₜ − 4)(ρₜ − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρₜ))
/// and m̂ = m / (1 − β₁ᵗ): s enters without its bias correction, which √(1 − β₂ᵗ) in the numerator makes up for, so ε
/// is not scaled the same way as in step 6. Before that (ρₜ &lt; 5) the step is θ ← θ − α·m̂, or nothing (apart from
/// weight decay) with <see cref="DegenerateToSgd"/> false.
/// </para>
/// <para>
/// Defaults follow the seed paper and optax (α 1e-3, β 0.9/0.999, ε 1e-16, no decay, no clipping).
/// </para>
/// <para>
/// adabelief-pytorch 0.2.1 (<c>AdaBelief(params, lr, betas, eps, weight_decay, amsgrad, weight_decouple, fixed_decay,
/// rectify, degenerated_to_sgd)</c>), checked against the package on torch: the equations above are its equations,
/// with <c>weight_decouple</c> = <see cref="DecoupledWeightDecay"/>, <c>fixed_decay</c> = <see cref="FixedDecay"/>,
/// <c>rectify</c> = <see cref="Rectify"/>, <c>degenerated_to_sgd</c> = <see cref="DegenerateToSgd"/> and
/// <c>amsgrad</c> = <see cref="Amsgrad"/>. Its defaults differ: decoupled decay and rectification are on, so set
/// <see cref="DecoupledWeightDecay"/> and <see cref="Rectify"/> to match it. Two differences remain:
/// </para>
/// <list type="bullet">
/// <item>With <c>amsgrad=True</c> and <c>rectify=True</c> together, its rectified branch divides by the current s and
/// ignores the running maximum (which it still keeps); this optimizer uses the maximum there too, so setting both
/// does not reproduce that combination.</item>
/// <item>Its rectified step caches ρₜ and the step size in a buffer of ten entries keyed by t mod 10; the values
/// are the same as computing them every step, as here.</item>
/// </list>
/// <para>
/// Schedules: <see cref="Chained"/> multiplies the factors of its schedules, which matches PyTorch's
/// <c>ChainedScheduler</c> only when every chained scheduler is multiplicative (StepLR, ExponentialLR, ConstantLR,
/// LinearLR, MultiStepLR); PyTorch chains the closed-form ones (CosineAnnealingLR, CyclicLR, OneCycleLR) by applying
/// their recursive updates in turn, which is not a product.
/// </para>
/// </remarks>
public sealed class AdaBeliefOptions
{
    /// <summary>
    /// The learning rate α: a number (it converts implicitly) or any <see cref="LearningRateSchedule"/>.
    /// Default <see cref="AdaBeliefDefaults.LearningRate"/>.
    /// </summary>
    public LearningRateSchedule LearningRate { get; set; } = AdaBeliefDefaults.LearningRate;

    /// <summary>What <see cref="LearningRate"/> counts when it is a schedule: optimizer steps (default) or epochs.</summary>
    public ScheduleUnit ScheduleUnit { get; set; } = ScheduleUnit.Step;

    /// <summary>Decay of the first moment, β₁, in [0, 1). Default 0.9.</summary>
    public double Beta1 { get; set; } = AdaBeliefDefaults.Beta1;

    /// <summary>Decay of the second moment (the "belief"), β₂, in [0, 1). Default 0.999.</summary>
    public double Beta2 { get; set; } = AdaBeliefDefaults.Beta2;

    /// <summary>ε, finite and not negative: added inside the stored second moment and to the denominator. Default 1e-16.</summary>
    public double Epsilon { get; set; } = AdaBeliefDefaults.Epsilon;

    /// <summary>Weight decay λ, finite and not negative. Default 0.</summary>
    public double WeightDecay { get; set; } = AdaBeliefDefaults.WeightDecay;

    /// <summary>
    /// False (default): λθ is added to the gradient before the moments (L2 regularisation).
    /// True: θ is shrunk by αλθ apart from the adaptive step (AdamW style).
    /// </summary>
    public bool DecoupledWeightDecay { get; set; }

    /// <summary>If set, the largest global L2 norm of the gradient, over all tensors stepped together; positive and finite.</summary>
    public double? GradientClipNorm { get; set; }

    /// <summary>If set, each gradient element is clamped to [−c, c]; positive and finite.</summary>
    public double? GradientClipValue { get; set; }

    /// <summary>Use the running maximum of the second moment in the denominator (AMSGrad). Default false.</summary>
    public bool Amsgrad { get; set; }

    /// <summary>Rectify the adaptive step as RAdam does. Default false.</summary>
    public bool Rectify { get; set; }

    /// <summary>Use a Nesterov (look-ahead) first moment, as optax does. Default false.</summary>
    public bool Nesterov { get; set; }

    /// <summary>
    /// With <see cref="DecoupledWeightDecay"/>, shrink θ by λθ per step instead of αλθ, so the decay ignores the
    /// learning rate and its schedule (adabelief-pytorch's <c>fixed_decay=True</c>). Requires
    /// <see cref="DecoupledWeightDecay"/>. Default false.
    /// </summary>
    public bool FixedDecay { get; set; }

    /// <summary>
    /// With <see cref="Rectify"/>, what the first steps do while the variance is intractable (ρₜ &lt; 5): true
    /// (default) takes a bias-corrected momentum step, θ ← θ − α·m̂; false leaves θ alone apart from weight decay while
    /// the moments still update (adabelief-pytorch's <c>degenerated_to_sgd</c>, whose default is also true).
    /// </summary>
    public bool DegenerateToSgd { get; set; } = true;

    /// <summary>
    /// The step count that bias-corrects a row in the lazy step: the optimizer's t (<see cref="SparseStepCount.Global"/>,
    /// default, as PyTorch's <c>SparseAdam</c>) or the row's own count of steps it was present in
    /// (<see cref="SparseStepCount.PerRow"/>). No effect on <c>Step</c>.
    /// </summary>
    public SparseStepCount SparseStepCount { get; set; } = SparseStepCount.Global;

    /// <summary>What a step does with a gradient holding NaN or ±∞. Default <see cref="NonFiniteGradientPolicy.Throw"/>.</summary>
    public NonFiniteGradientPolicy NonFiniteGradients { get; set; } = NonFiniteGradientPolicy.Throw;

    /// <summary>
    /// The most cores one step uses: -1 (default) for all of them, 1 to keep every step on the calling thread. Only
    /// tensors of 2¹⁹ elements or more are split, and lazy steps (<c>StepSparse</c>) of 2¹⁵ present coordinates or more,
    /// which run on two cores; the split changes the speed and never the result, so every setting gives the same bits.
    /// Set 1 when other work (parallel training runs, say) already uses every core.
    /// </summary>
    public int MaxDegreeOfParallelism { get; set; } = -1;

    /// <summary>Returns a copy of these options.</summary>
    public AdaBeliefOptions Clone() => (AdaBeliefOptions)MemberwiseClone();

    /// <summary>Checks every setting, throwing for the first one out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it, its value and the rule.</exception>
    /// <exception cref="ArgumentNullException"><see cref="LearningRate"/> is null.</exception>
    /// <exception cref="ArgumentException"><see cref="FixedDecay"/> is set without <see cref="DecoupledWeightDecay"/>, or
    /// <see cref="SparseStepCount.PerRow"/> with <see cref="Rectify"/>.</exception>
    public void Validate()
    {
        if (LearningRate is null)
            throw new ArgumentNullException(nameof(LearningRate), "LearningRate must be a number or a schedule.");
        ArgumentChecks.RequireInHalfOpenRange(Beta1, 0, 1, nameof(Beta1));
        ArgumentChecks.RequireInHalfOpenRange(Beta2, 0, 1, nameof(Beta2));
        ArgumentChecks.RequireNonNegative(Epsilon, nameof(Epsilon));
        ArgumentChecks.RequireNonNegative(WeightDecay, nameof(WeightDecay));
        if (Beta1 == 0 && Epsilon == 0)
        {
            // With β₁ = 0 the first moment is the gradient itself, so the belief (g − m)² is always 0 and only ε keeps
            // the denominator from being 0.
            throw ArgumentChecks.OutOfRange(nameof(Epsilon), Epsilon, "must be positive when Beta1 is 0");
        }

        if (FixedDecay && !DecoupledWeightDecay)
            throw new ArgumentException("FixedDecay applies to decoupled weight decay only: set DecoupledWeightDecay = true, or FixedDecay = false.", nameof(FixedDecay));

        ArgumentChecks.RequireDefined(SparseStepCount, nameof(SparseStepCount));
        if (SparseStepCount == SparseStepCount.PerRow && Rectify)
        {
            throw new ArgumentException(
                "Rectify needs one step count for every parameter, and SparseStepCount.PerRow gives each row its own: set Rectify = false, or SparseStepCount = Global.",
                nameof(SparseStepCount));
        }

        RequirePositiveIfSet(GradientClipNorm, nameof(GradientClipNorm));
        RequirePositiveIfSet(GradientClipValue, nameof(GradientClipValue));
        ArgumentChecks.RequireDefined(ScheduleUnit, nameof(ScheduleUnit));
        ArgumentChecks.RequireDefined(NonFiniteGradients, nameof(NonFiniteGradients));
        if (MaxDegreeOfParallelism is 0 or < -1)
            throw ArgumentChecks.OutOfRange(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "must be -1 (all cores) or at least 1");
    }

    private static void RequirePositiveIfSet(double? value, string name)
    {
        if (value is { } v && (!(v > 0) || double.IsInfinity(v)))
            throw ArgumentChecks.OutOfRange(name, v, "must be finite and positive when set");
    }
}
