namespace MLNet.AdaBelief;

/// <summary>What one epoch of training achieved; reported once per epoch and kept in the training history.</summary>
/// <param name="Epoch">The epoch just completed, counted from 1.</param>
/// <param name="TrainingLoss">
/// The weighted mean loss over the epoch's mini-batches, each taken with the weights it was computed at (a running
/// average, as most training loops report it; no extra pass over the data).
/// </param>
/// <param name="ValidationLoss">The weighted mean loss on the validation rows after the epoch, or null without validation rows.</param>
/// <param name="LearningRate">The learning rate of the epoch's first step (the whole epoch's rate unless the schedule counts steps).</param>
/// <param name="Elapsed">Time since training started, including the statistics pass before the first epoch.</param>
public sealed record TrainingProgress(int Epoch, double TrainingLoss, double? ValidationLoss, double LearningRate, TimeSpan Elapsed);
