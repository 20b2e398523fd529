using System.Text.Json.Serialization;

namespace MLNet.AdaBelief;

/// <summary>
/// How a trainer's learning rate moves from its peak (<see cref="AdaBeliefTrainerOptionsBase.LearningRate"/>) over
/// the run. The trainer sizes the schedule to the run's optimizer steps once it knows them, automatic epochs included.
/// Written as its name in JSON, so a search space can sweep it as a choice of strings.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<LearningRateShape>))]
public enum LearningRateShape
{
    /// <summary>Cosine decay from the peak to 0 (<see cref="CosineAnnealingLR"/>).</summary>
    Cosine = 0,

    /// <summary>A linear warm-up over the first 5% of the steps, then cosine decay to 0 (<see cref="WarmupCosine"/>).</summary>
    WarmupCosine,

    /// <summary>The 1cycle policy with PyTorch's defaults, peaking at the learning rate (<see cref="OneCycleLR"/>).</summary>
    OneCycle,

    /// <summary>A straight line from the peak to 0 (<see cref="LinearLR"/>): the default.</summary>
    Linear,

    /// <summary>The peak rate throughout.</summary>
    Constant,
}
