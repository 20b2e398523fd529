namespace MLNet.AdaBelief.Training;

/// <summary>
/// Divergence found where it shows (a mini-batch's loss, a gradient, an epoch's checks), before the advice is chosen:
/// the epoch loop catches it and throws <see cref="TrainingDivergence.Error"/>, which reads the rows once more to name
/// the likely cause. Never leaves the training layer.
/// </summary>
internal sealed class DivergenceFoundException : Exception
{
    /// <param name="what">What was found, as a clause ("the loss of a mini-batch became NaN").</param>
    /// <param name="epoch">The epoch, from 1.</param>
    /// <param name="learningRate">The learning rate at the time.</param>
    /// <param name="inner">The exception that revealed it, or null.</param>
    public DivergenceFoundException(string what, int epoch, double learningRate, Exception? inner = null)
        : base(what, inner)
    {
        What = what;
        Epoch = epoch;
        LearningRate = learningRate;
    }

    /// <summary>What was found.</summary>
    public string What { get; }

    /// <summary>The epoch, from 1.</summary>
    public int Epoch { get; }

    /// <summary>The learning rate at the time.</summary>
    public double LearningRate { get; }
}
