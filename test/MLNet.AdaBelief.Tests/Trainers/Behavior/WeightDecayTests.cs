using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.AdaBelief.Tests.Trainers.Behavior;

/// <summary>Weight decay shrinks the weights toward 0 but leaves the bias free, as ML.NET's L2-regularized trainers do.</summary>
[TestClass]
public sealed class WeightDecayTests
{
    [TestMethod]
    // Coupled decay is an L2 penalty ½λ‖w′‖² on the standardized weights: with λ = 1 and unit-variance features the
    // ridge solution halves each weight, so ‖w‖² falls to about a quarter.
    public void StrongWeightDecay_ShrinksWeights_KeepsPredictionsCenteredOnTheLabels()
    {
        var ml = new MLContext(seed: 1);
        SyntheticData.RegressionRow[] rows = SyntheticData.Regression(1000, seed: 4);
        foreach (SyntheticData.RegressionRow row in rows)
            row.Label += 100f; // a label mean far from 0
        IDataView data = SyntheticData.Load(ml, rows);

        var plain = ml.Regression.Trainers.AdaBelief().Fit(data);
        var decayed = ml.Regression.Trainers.AdaBelief(new AdaBeliefRegressionTrainer.Options { WeightDecay = 1.0 }).Fit(data);

        double plainNorm = plain.Model.Weights.Sum(w => (double)w * w);
        double decayedNorm = decayed.Model.Weights.Sum(w => (double)w * w);
        Assert.IsLessThan(plainNorm * 0.5, decayedNorm, "decay must shrink the weights");

        float[] scores = ml.Data.CreateEnumerable<ScoreRow>(decayed.Transform(data), reuseRowObject: false).Select(r => r.Score).ToArray();
        double meanScore = scores.Average();
        double meanLabel = rows.Average(r => r.Label);
        Assert.AreEqual(meanLabel, meanScore, 0.5, "with the bias undecayed, predictions stay centred on the labels");
    }

    private sealed class ScoreRow
    {
        public float Score { get; set; }
    }
}
