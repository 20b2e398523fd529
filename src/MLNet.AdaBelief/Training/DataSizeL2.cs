namespace MLNet.AdaBelief.Training;

/// <summary>
/// An L2 penalty of fixed strength on the summed loss, expressed as weight decay on the mean loss the optimizer
/// follows: minimizing Σᵢ wᵢ·lossᵢ + (c/2)‖θ‖² is minimizing the weighted mean loss + (c / Σᵢ wᵢ)/2 ‖θ‖².
/// </summary>
/// <remarks>
/// This is the penalty of a fixed Gaussian prior, as in scikit-learn's <c>LogisticRegression(C)</c> (c = 1/C) and the
/// L2 weight of ML.NET's L-BFGS trainers: it is strong on a few hundred rows, where a linear model over thousands of
/// features would otherwise fit noise, and fades as the data grows, where the data alone pins the weights down.
/// </remarks>
internal static class DataSizeL2
{
    /// <summary>The weight decay on the mean loss for strength <paramref name="strength"/> on the summed loss.</summary>
    /// <param name="strength">c, not negative; 0 for no penalty.</param>
    /// <param name="totalWeight">Σ wᵢ of the training rows (their count when every weight is 1).</param>
    public static double WeightDecay(double strength, double totalWeight) =>
        strength > 0 && totalWeight > 0 ? strength / totalWeight : 0;
}
