using Microsoft.ML;

namespace MLNet.AdaBelief;

/// <summary>
/// ML.NET's built-in linear trainers, used only for their schema checks and output shapes: an AdaBelief trainer
/// reports the same output columns and the same errors as the built-in trainer of its task.
/// </summary>
internal static class ReferenceEstimators
{
    private static readonly MLContext Context = new(seed: 0);

    public static IEstimator<ITransformer> Regression(AdaBeliefTrainerOptionsBase o) =>
        Context.Regression.Trainers.Sdca(o.LabelColumnName, o.FeatureColumnName, o.ExampleWeightColumnName);

    public static IEstimator<ITransformer> Binary(AdaBeliefTrainerOptionsBase o) =>
        Context.BinaryClassification.Trainers.LbfgsLogisticRegression(o.LabelColumnName, o.FeatureColumnName, o.ExampleWeightColumnName);

    public static IEstimator<ITransformer> Multiclass(AdaBeliefTrainerOptionsBase o) =>
        Context.MulticlassClassification.Trainers.LbfgsMaximumEntropy(o.LabelColumnName, o.FeatureColumnName, o.ExampleWeightColumnName);
}
