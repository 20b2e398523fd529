using Microsoft.ML;
using Microsoft.ML.Data;
using static MLNet.AdaBelief.Tests.Trainers.Ecosystem.EcosystemData;

namespace MLNet.AdaBelief.Tests.Trainers.Ecosystem;

[TestClass]
public sealed class EvaluationTests
{
    private const int Folds = 3;

    [TestMethod]
    public void Regression_EvaluateOnHeldOutData_GivesHighRSquared()
    {
        var ml = new MLContext(seed: 1);
        var model = TrainRegression(ml, Regression(ml));

        RegressionMetrics metrics = ml.Regression.Evaluate(model.Transform(Regression(ml, TestRows, TestSeed)));

        Assert.IsGreaterThan(0.99, metrics.RSquared, $"R² = {metrics.RSquared}");
        Assert.IsLessThan(0.1, metrics.RootMeanSquaredError, $"RMSE = {metrics.RootMeanSquaredError}");
    }

    [TestMethod]
    public void Binary_EvaluateOnHeldOutData_GivesHighAucAndCalibratedMetrics()
    {
        var ml = new MLContext(seed: 1);
        var model = TrainBinary(ml, Binary(ml));

        CalibratedBinaryClassificationMetrics metrics = ml.BinaryClassification.Evaluate(model.Transform(Binary(ml, TestRows, TestSeed)));

        Assert.IsGreaterThan(0.95, metrics.AreaUnderRocCurve, $"AUC = {metrics.AreaUnderRocCurve}");
        Assert.IsGreaterThan(0.9, metrics.Accuracy, $"accuracy = {metrics.Accuracy}");
        Assert.IsGreaterThan(0.5, metrics.LogLossReduction, $"log-loss reduction = {metrics.LogLossReduction}");
    }

    [TestMethod]
    public void Multiclass_EvaluateOnHeldOutData_GivesHighMacroAccuracy()
    {
        var ml = new MLContext(seed: 1);
        var model = TrainMulticlass(ml, Multiclass(ml));

        MulticlassClassificationMetrics metrics = ml.MulticlassClassification.Evaluate(model.Transform(Multiclass(ml, TestRows, TestSeed)));

        Assert.IsGreaterThan(0.9, metrics.MacroAccuracy, $"macro accuracy = {metrics.MacroAccuracy}");
        Assert.IsGreaterThan(0.5, metrics.LogLossReduction, $"log-loss reduction = {metrics.LogLossReduction}");
        Assert.HasCount(3, metrics.PerClassLogLoss);
    }

    [TestMethod]
    public void Regression_CrossValidateThreeFolds_EveryFoldHasHighRSquared()
    {
        var ml = new MLContext(seed: 1);

        var results = ml.Regression.CrossValidate(Regression(ml), ml.Regression.Trainers.AdaBelief(), numberOfFolds: Folds);

        Assert.HasCount(Folds, results);
        foreach (var fold in results)
        {
            Assert.IsGreaterThan(0.99, fold.Metrics.RSquared, $"fold {fold.Fold}: R² = {fold.Metrics.RSquared}");
            Assert.IsNotNull(fold.Model);
        }
    }

    [TestMethod]
    public void Binary_CrossValidateThreeFolds_EveryFoldHasHighAuc()
    {
        var ml = new MLContext(seed: 1);

        var results = ml.BinaryClassification.CrossValidate(Binary(ml), ml.BinaryClassification.Trainers.AdaBelief(), numberOfFolds: Folds);

        Assert.HasCount(Folds, results);
        foreach (var fold in results)
        {
            Assert.IsGreaterThan(0.95, fold.Metrics.AreaUnderRocCurve, $"fold {fold.Fold}: AUC = {fold.Metrics.AreaUnderRocCurve}");
            Assert.IsGreaterThan(0.5, fold.Metrics.LogLossReduction, $"fold {fold.Fold}: log-loss reduction = {fold.Metrics.LogLossReduction}");
        }
    }

    [TestMethod]
    public void Multiclass_CrossValidateThreeFolds_EveryFoldHasHighMacroAccuracy()
    {
        var ml = new MLContext(seed: 1);

        var results = ml.MulticlassClassification.CrossValidate(Multiclass(ml), ml.MulticlassClassification.Trainers.AdaBelief(), numberOfFolds: Folds);

        Assert.HasCount(Folds, results);
        foreach (var fold in results)
            Assert.IsGreaterThan(0.9, fold.Metrics.MacroAccuracy, $"fold {fold.Fold}: macro accuracy = {fold.Metrics.MacroAccuracy}");
    }
}
