namespace MLNet.AdaBelief.Training;

/// <summary>Builds the loss for a <see cref="LinearModelLoss"/> choice.</summary>
internal static class LinearLosses
{
    /// <summary>The default δ of the Huber loss, as in PyTorch's HuberLoss.</summary>
    public const float DefaultHuberDelta = 1f;

    /// <param name="loss">The loss.</param>
    /// <param name="classCount">K for softmax; ignored otherwise.</param>
    /// <param name="huberDelta">δ for Huber; ignored otherwise.</param>
    public static ILinearLoss Create(LinearModelLoss loss, int classCount = 0, float huberDelta = DefaultHuberDelta) => loss switch
    {
        LinearModelLoss.Squared => new PointwiseLinearLoss<SquaredLoss>(default),
        LinearModelLoss.Huber => new PointwiseLinearLoss<HuberLoss>(new HuberLoss(huberDelta)),
        LinearModelLoss.Logistic => new PointwiseLinearLoss<LogisticLoss>(default),
        LinearModelLoss.SoftmaxCrossEntropy => new SoftmaxCrossEntropyLoss(classCount),
        _ => throw ArgumentChecks.OutOfRange(nameof(loss), loss, "must be Squared, Huber, Logistic or SoftmaxCrossEntropy"),
    };
}
