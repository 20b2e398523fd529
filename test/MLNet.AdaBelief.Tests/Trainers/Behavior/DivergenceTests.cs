using Microsoft.ML;
using static MLNet.AdaBelief.Tests.Trainers.Behavior.BehaviorData;

namespace MLNet.AdaBelief.Tests.Trainers.Behavior;

/// <summary>A run that blows up stops with an error that says what to change; it never returns NaN or infinite weights.</summary>
[TestClass]
public sealed class DivergenceTests
{
    [TestMethod]
    public void HugeUnscaledFeatures_HighRate_ThrowNamingTheRateAndClipping()
    {
        var ml = new MLContext(seed: 1);
        RegressionRow[] rows = Regression(200, seed: 24).Select(r => new RegressionRow
        {
            Features = r.Features.Select(x => x * 1e30f).ToArray(),
            Label = r.Label,
        }).ToArray();
        int epochs = 0;
        var trainer = ml.Regression.Trainers.AdaBelief(new AdaBeliefRegressionTrainer.Options
        {
            StandardizeFeatures = false,
            LearningRate = 1,
            NumberOfEpochs = 5,
            ProgressCallback = _ => epochs++,
        });

        object? model = null;
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => { model = trainer.Fit(ml.Data.LoadFromEnumerable(rows)); });

        Assert.IsNull(model);
        Assert.Contains("diverged", error.Message);
        Assert.Contains("learning rate", error.Message);
        Assert.Contains("GradientClipNorm", error.Message, "the message points to gradient clipping");
        Assert.IsEmpty(trainer.TrainingHistory);
        Assert.AreEqual(0, epochs, "it stops within the first epoch, before any progress report");
    }
}
