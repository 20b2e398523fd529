namespace MLNet.AdaBelief;

/// <summary>Where the bias starts when training does not start from given weights.</summary>
public enum BiasInitialization
{
    /// <summary>
    /// The bias the model would have with all weights zero: the weighted label mean for regression, its log-odds for
    /// logistic loss, the log class priors for softmax. Training then starts from the best constant model and spends no
    /// early steps walking the bias there; it costs no extra pass when features are scaled.
    /// </summary>
    FromLabels,

    /// <summary>Every bias starts at 0.</summary>
    Zero,
}
