namespace MLNet.AdaBelief.Training;

/// <summary>A loss of one score against one label: the part that differs between the single-output losses.</summary>
/// <remarks>
/// Implemented by small structs so that <see cref="PointwiseLinearLoss{TLoss}"/>, generic over them, is compiled once
/// per loss with the formula inlined into the row loop.
/// </remarks>
internal interface IPointwiseLoss
{
    /// <summary>ℓ(z, y), in double for an accurate sum; <paramref name="derivative"/> receives dℓ/dz.</summary>
    double Evaluate(float score, float label, out float derivative);

    /// <summary>The score of the best constant model for labels of weighted mean <paramref name="labelMean"/>.</summary>
    float InitialBias(double labelMean);

    /// <summary>False if the loss cannot take <paramref name="label"/>.</summary>
    bool IsValidLabel(float label);

    /// <summary>True for a regression loss, whose label training may standardize.</summary>
    bool IsRegression { get; }

    /// <summary>The rule labels must follow, for the error message.</summary>
    string LabelRule { get; }
}
