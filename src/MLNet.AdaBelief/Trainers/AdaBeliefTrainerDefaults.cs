namespace MLNet.AdaBelief;

/// <summary>
/// The defaults of the AdaBelief trainers, one named constant each, shared by the catalog methods and the
/// <c>Options</c> classes. How they were chosen is in the repository's src/MLNet.AdaBelief/Trainers/DEFAULTS.md.
/// </summary>
public static class AdaBeliefTrainerDefaults
{
    /// <summary>The label column's default name, as in ML.NET.</summary>
    public const string LabelColumnName = "Label";

    /// <summary>The feature column's default name, as in ML.NET.</summary>
    public const string FeatureColumnName = "Features";

    /// <summary>
    /// The peak learning rate of every trainer, in the scaled feature space (and, for regression, the standardized
    /// label's); a linear decay takes it to 0 over training. At batch 64 housing, breast cancer and the synthetic sets
    /// are flat from 0.01 to 0.2; iris needs at least 0.03 to converge within the automatic steps; adult's AUC falls
    /// slowly above 0.03; taxi fares need at least 0.03 (test R² 0.628 at 0.003, 0.694 at 0.03, 0.695 at 0.05).
    /// </summary>
    public const double LearningRate = 0.05;

    /// <summary>
    /// Automatic epochs up to which a run peaks at the learning rate as given (data of about 3,000 rows or more, at the
    /// defaults). A run of more is an optimization to convergence on few rows rather than a few noisy passes, and a
    /// decaying schedule peaks higher, rising linearly to <see cref="MaximumPeakRateFactor"/> times the rate at
    /// <see cref="PeakRateFullEpochs"/>: GitHub issues (about 143 epochs a fold) 0.7096 → 0.7208 micro accuracy,
    /// wikipedia detox, housing and heart a little higher, no other set of the quality matrix moved; on samples of
    /// 3,000 rows of other sets (about 80 epochs) it costs up to 0.0024 (see DEFAULTS.md).
    /// </summary>
    public const int PeakRateFirstEpochs = 64;

    /// <summary>Automatic epochs from which a decaying schedule peaks at <see cref="MaximumPeakRateFactor"/> times the rate (data of about 1,300 rows or fewer, at the defaults).</summary>
    public const int PeakRateFullEpochs = 144;

    /// <summary>The most a run of many automatic epochs multiplies the learning rate by (see <see cref="PeakRateFirstEpochs"/>).</summary>
    public const double MaximumPeakRateFactor = 6;

    /// <summary>
    /// How the rate moves over the run: a straight line from the peak to 0. Against the cosine decay to 0 it spends
    /// fewer steps near the peak, which on one pass over noisy text is most of the difference (synthetic text AUC 0.7349
    /// against 0.7302, GitHub issues 0.7029 against 0.7010, taxi fares 0.6965 against 0.6946); no other set moved by
    /// more than 0.0012 (see DEFAULTS.md).
    /// </summary>
    public const LearningRateShape LearningRateShape = MLNet.AdaBelief.LearningRateShape.Linear;

    /// <summary>
    /// ε, added to the second moment each step and to its root, of every trainer: 1e-8, where the optimizer's own default
    /// is the reference's 1e-16. It floors the denominator at about √(ε/(1 − β₂)) ≈ 0.003, so a coordinate whose
    /// gradient is tinier than that (a token seen in a few rows of a large vocabulary) steps in proportion to its
    /// gradient instead of by a full learning rate. On the quality matrix it raised GitHub issues 0.7029 → 0.7071,
    /// optdigits 0.9527 → 0.9555 and synthetic text 0.7349 → 0.7374, cost adult 0.0010 and SMS spam 0.0015, and moved
    /// no other set by more than 0.0015 (mean margin over the best built-in +0.0004 → +0.0010); 1e-6 and above cost
    /// GitHub issues 0.014 or more (see DEFAULTS.md).
    /// </summary>
    public const double Epsilon = 1e-8;

    /// <summary>
    /// Rows per mini-batch. 64 leaves every data set its widest margin over the built-in trainers: 128 gains adult
    /// 0.0006 AUC but costs iris (120 training rows, then one full batch per epoch) 0.007 macro accuracy and housing
    /// 0.0004 R²; 16-32 lose adult AUC to gradient noise.
    /// </summary>
    public const int BatchSize = 64;

    /// <summary>
    /// Optimizer steps the automatic epoch count aims for. Adult's AUC is 0.9004 after about 400 steps, 0.9048 after
    /// 1,200, 0.9056 after 3,300 and 0.9061 after 10,000; iris needs about 2,000 to converge; the synthetic 10⁵-row sets
    /// are converged within one epoch (1,250 steps).
    /// </summary>
    public const int TargetSteps = 3000;

    /// <summary>
    /// The fewest epochs the automatic count chooses for a single-output fit, or any fit on sparse rows: 1, so that data
    /// with at least <see cref="TargetSteps"/> × <see cref="BatchSize"/> rows (192,000 by default) is read once; one pass
    /// of 10⁶ rows is already 15,625 steps, and a second pass moved no single-output set by more than 0.0003 (a dense
    /// multiclass fit reads such data twice: <see cref="MinimumMulticlassEpochs"/>).
    /// </summary>
    public const int MinimumEpochs = 1;

    /// <summary>
    /// The fewest epochs the automatic count chooses for a dense multiclass fit (dense rows, more than one output): 2,
    /// so such data of at least 192,000 rows is read twice. Its K × F weights learn from the same rows as one output's
    /// F, and a second pass raised every large dense multiclass set measured (means over seeds: 10 classes, macro
    /// accuracy 0.6498 → 0.6505; a skewed 6-class set 0.6805 → 0.6847; 20 classes 0.6025 → 0.6045), where single-output
    /// sets moved by at most 0.0003 (R² and AUC) for some 40% more time. Sparse rows keep <see cref="MinimumEpochs"/>: a
    /// sparse pass costs as much as the rest of the fit.
    /// </summary>
    public const int MinimumMulticlassEpochs = 2;

    /// <summary>
    /// The most epochs the automatic count chooses: high enough that only a set of a single mini-batch falls short of
    /// <see cref="TargetSteps"/> (an epoch of such a set costs microseconds). At the former 200, iris (2 steps per epoch)
    /// stopped after 400 steps at macro accuracy 0.953, below the built-in trainers' 0.971.
    /// </summary>
    public const int MaximumEpochs = 2000;

    /// <summary>
    /// The strength c of the data-size-aware L2 penalty, λ = c·min(1, d/n)/n (see
    /// <see cref="AdaBeliefTrainerOptionsBase.L2Regularization"/>): 0, none. With features scaled so that nothing is
    /// magnified, text needs no penalty (wikipedia detox AUC 0.829 without, 0.812 at c = 0.25; GitHub issues lose
    /// micro accuracy to any c), and the dense sets move by at most 0.0005.
    /// </summary>
    public const double L2Regularization = 0;

    /// <summary>
    /// The share of the training rows held out for early stopping when no validation data is given: 0, none. Holding
    /// out 10% cost housing 0.007 R², iris 0.011 macro accuracy and bike sharing 0.027 R², and gained only on heart.
    /// </summary>
    public const double ValidationFraction = 0;

    /// <summary>
    /// Whether the model is the mean of the end-of-epoch iterates over the second half of training: off. Under the
    /// decay to 0 the last iterate is already still; averaging moved no set but bike sharing (+0.005 R²) by
    /// more than 0.001.
    /// </summary>
    public const bool AverageIterates = false;

    /// <summary>Data up to this many bytes in memory is read into a contiguous buffer; larger data is streamed.</summary>
    public const long MemoryBudgetBytes = 2L << 30;
}
