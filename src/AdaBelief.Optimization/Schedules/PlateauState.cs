namespace AdaBelief.Optimization;

/// <summary>
/// The state of a <see cref="ReduceLROnPlateau"/> schedule between metric reports: small, immutable and
/// checkpointable. The optimizer owns one and replaces it on each report.
/// </summary>
/// <param name="LearningRate">The learning rate now in force.</param>
/// <param name="BestMetric">The best metric seen so far (+∞ in min mode and −∞ in max mode before any report).</param>
/// <param name="BadEpochs">Reports since the last improvement (PyTorch's <c>num_bad_epochs</c>).</param>
/// <param name="CooldownRemaining">Reports left before bad epochs count again (PyTorch's <c>cooldown_counter</c>).</param>
/// <param name="ReportCount">Metrics reported so far.</param>
public readonly record struct PlateauState(
    double LearningRate,
    double BestMetric,
    int BadEpochs,
    int CooldownRemaining,
    long ReportCount);
