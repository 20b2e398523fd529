namespace MLNet.AdaBelief.Tests.Optimization;

/// <summary>Every combination of the optimizer's switches, for tests that must hold under all of them.</summary>
internal static class OptionCombinations
{
    public static IEnumerable<AdaBeliefOptions> All(double learningRate = 1e-2)
    {
        for (int bits = 0; bits < 1 << 6; bits++)
        {
            bool weightDecay = (bits & 1) != 0;
            yield return new AdaBeliefOptions
            {
                LearningRate = learningRate,
                WeightDecay = weightDecay ? 0.05 : 0,
                DecoupledWeightDecay = weightDecay && (bits & 2) != 0,
                GradientClipNorm = (bits & 4) != 0 ? 0.5 : null,
                GradientClipValue = (bits & 8) != 0 ? 0.3 : null,
                Amsgrad = (bits & 16) != 0,
                Rectify = (bits & 32) != 0,
                Nesterov = weightDecay ? (bits & 2) == 0 : (bits & 2) != 0,
                Epsilon = 1e-8,
            };
        }
    }

    public static string Describe(AdaBeliefOptions o) =>
        $"wd={o.WeightDecay} decoupled={o.DecoupledWeightDecay} clipNorm={o.GradientClipNorm} clipValue={o.GradientClipValue} " +
        $"amsgrad={o.Amsgrad} rectify={o.Rectify} nesterov={o.Nesterov}";
}
