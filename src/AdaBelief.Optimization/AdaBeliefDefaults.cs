namespace AdaBelief.Optimization;

/// <summary>
/// The default of each optimizer setting, as one named constant shared by every place that offers the setting.
/// They are the seed paper's defaults (and optax's): learning rate 1e-3, β₁ 0.9, β₂ 0.999, ε 1e-16.
/// </summary>
public static class AdaBeliefDefaults
{
    /// <summary>Default learning rate: 1e-3.</summary>
    public const double LearningRate = 1e-3;

    /// <summary>Default decay of the first moment, β₁: 0.9.</summary>
    public const double Beta1 = 0.9;

    /// <summary>Default decay of the second moment, β₂: 0.999.</summary>
    public const double Beta2 = 0.999;

    /// <summary>Default ε, added inside the stored second moment and to the denominator: 1e-16.</summary>
    public const double Epsilon = 1e-16;

    /// <summary>Default weight decay: 0 (none).</summary>
    public const double WeightDecay = 0.0;
}
