using Microsoft.ML.SearchSpace;

namespace MLNet.AdaBelief;

/// <summary>The settings that keep a model from fitting noise: an L2 penalty, a held-out share and averaging.</summary>
public abstract partial class AdaBeliefTrainerOptionsBase
{
    /// <summary>
    /// The strength c of an L2 penalty on the weights that follows the size of the data, not negative; 0 for none.
    /// Training adds λ·w to the gradient of the mean loss, λ = c · min(1, d/n) / n for n training rows and d
    /// features, on the weights in the scaled feature space (never the bias), on top of
    /// <see cref="WeightDecay"/> and in the same way. With more features than rows (text of a few hundred rows) this is
    /// a penalty (c/2)‖w‖² on the summed loss, as scikit-learn's <c>LogisticRegression</c> has with C = 1/c; with many
    /// more rows than features it fades to nothing, where the data alone pins the weights down. Default
    /// <see cref="AdaBeliefTrainerDefaults.L2Regularization"/>.
    /// </summary>
    [Range(0.0, 10.0, AdaBeliefTrainerDefaults.L2Regularization, false)]
    public double L2Regularization { get; set; } = AdaBeliefTrainerDefaults.L2Regularization;

    /// <summary>
    /// When <c>Fit</c> is given no validation data, hold out this share of the training rows, in [0, 0.5], chosen by the
    /// seed (each row independently; the same rows streamed or in memory), train on the rest and stop early on the
    /// held-out loss: after <see cref="EarlyStoppingPatience"/> epochs without improvement, or, when that is null, after
    /// a tenth of the planned epochs (at least 5); the model of the best epoch is returned. 0 holds out nothing. Default
    /// <see cref="AdaBeliefTrainerDefaults.ValidationFraction"/>.
    /// </summary>
    public double ValidationFraction { get; set; } = AdaBeliefTrainerDefaults.ValidationFraction;

    /// <summary>
    /// Return the mean of the end-of-epoch parameters over the second half of the epochs instead of the last ones
    /// (tail averaging). Default <see cref="AdaBeliefTrainerDefaults.AverageIterates"/>.
    /// </summary>
    [BooleanChoice(AdaBeliefTrainerDefaults.AverageIterates)]
    public bool AverageIterates { get; set; } = AdaBeliefTrainerDefaults.AverageIterates;

    /// <summary>Checks the settings of this part, naming the option, its value and the rule.</summary>
    internal void ValidateGeneralization()
    {
        ArgumentChecks.RequireNonNegative(L2Regularization, nameof(L2Regularization));
        if (!(ValidationFraction is >= 0 and <= 0.5))
            throw ArgumentChecks.OutOfRange(nameof(ValidationFraction), ValidationFraction, "must be in [0, 0.5]");
    }
}
