namespace MLNet.AdaBelief.Training;

/// <summary>What <see cref="LinearModelTrainer"/> returns: the model on raw features and how training went.</summary>
/// <param name="Model">The weights and biases in the original feature space; always finite.</param>
/// <param name="History">One record per epoch run, in order.</param>
/// <param name="BestEpoch">The epoch (from 1) with the lowest monitored loss (validation if given, else training).</param>
/// <param name="StoppedEarly">True if early stopping ended training before the last epoch.</param>
internal sealed record LinearTrainingResult(LinearModelWeights Model, IReadOnlyList<TrainingProgress> History, int BestEpoch, bool StoppedEarly);
