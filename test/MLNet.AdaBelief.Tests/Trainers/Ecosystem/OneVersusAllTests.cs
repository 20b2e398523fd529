using Microsoft.ML;
using Microsoft.ML.Data;
using static MLNet.AdaBelief.Tests.Trainers.Ecosystem.EcosystemData;

namespace MLNet.AdaBelief.Tests.Trainers.Ecosystem;

[TestClass]
public sealed class OneVersusAllTests
{
    [TestMethod]
    public void OneVersusAll_OverBinaryTrainer_FitsThreeClasses()
    {
        var ml = new MLContext(seed: 1);
        var trainer = ml.MulticlassClassification.Trainers.OneVersusAll(ml.BinaryClassification.Trainers.AdaBelief());

        var model = trainer.Fit(Multiclass(ml));

        MulticlassClassificationMetrics metrics = ml.MulticlassClassification.Evaluate(model.Transform(Multiclass(ml, TestRows, TestSeed)));
        Assert.IsGreaterThan(0.85, metrics.MacroAccuracy, $"macro accuracy = {metrics.MacroAccuracy}");
        Assert.HasCount(3, metrics.PerClassLogLoss);
    }
}
