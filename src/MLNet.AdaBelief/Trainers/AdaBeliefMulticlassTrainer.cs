using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;
using MLNet.AdaBelief.Trainers.Data;
using MLNet.AdaBelief.Trainers.Interop;
using MLNet.AdaBelief.Training;

namespace MLNet.AdaBelief;

/// <summary>
/// Multinomial logistic regression (softmax cross-entropy) trained by mini-batch AdaBelief; returns ML.NET's own
/// <see cref="MaximumEntropyModelParameters"/>. Made by <c>mlContext.MulticlassClassification.Trainers.AdaBelief(...)</c>.
/// The label is a key column (use <c>MapValueToKey</c>).
/// </summary>
public sealed class AdaBeliefMulticlassTrainer
    : AdaBeliefTrainerBase<MulticlassPredictionTransformer<MaximumEntropyModelParameters>, MaximumEntropyModelParameters>
{
    /// <summary>Settings of <see cref="AdaBeliefMulticlassTrainer"/>.</summary>
    public sealed class Options : AdaBeliefTrainerOptionsBase
    {
    }

    internal AdaBeliefMulticlassTrainer(IHostEnvironment env, Options options)
        : base(env, options, nameof(AdaBeliefMulticlassTrainer), LabelKind.Key)
    {
    }

    /// <summary>Continues training from <paramref name="modelParameters"/> (warm start).</summary>
    /// <param name="trainData">The training data.</param>
    /// <param name="modelParameters">A maximum-entropy model over the same features and classes to start from.</param>
    public MulticlassPredictionTransformer<MaximumEntropyModelParameters> Fit(IDataView trainData, MaximumEntropyModelParameters modelParameters)
    {
        ArgumentNullException.ThrowIfNull(modelParameters);
        VBuffer<float>[] weights = [];
        modelParameters.GetWeights(ref weights, out int classCount);
        int features = classCount == 0 ? 0 : weights[0].Length;
        var flat = new float[classCount * features];
        for (int k = 0; k < classCount; k++)
            weights[k].CopyTo(flat.AsSpan(k * features, features));
        float[] biases = modelParameters.GetBiases().ToArray();
        return Train(trainData, null, new LinearModelWeights(flat, biases));
    }

    private protected override IEstimator<ITransformer> ReferenceEstimator() => ReferenceEstimators.Multiclass(TrainerOptions);

    private protected override ILinearLoss CreateLoss(TrainingColumns columns) =>
        LinearLosses.Create(LinearModelLoss.SoftmaxCrossEntropy, classCount: columns.ClassCount);

    private protected override MulticlassPredictionTransformer<MaximumEntropyModelParameters> MakeTransformer(
        LinearModelWeights model, DataViewSchema trainSchema, TrainingColumns columns)
    {
        int classes = columns.ClassCount;
        int features = columns.FeatureCount;
        var weights = new VBuffer<float>[classes];
        for (int k = 0; k < classes; k++)
            weights[k] = new VBuffer<float>(features, model.Weights.AsSpan(k * features, features).ToArray());

        string[]? labelNames = MulticlassLabelNames.FromLabelColumn(columns.Label, classes);
        MaximumEntropyModelParameters parameters = MLNetModelFactory.CreateMaximumEntropy(
            Host, weights, model.Biases.ToArray(), classes, features, labelNames);
        return MLNetModelFactory.CreateMulticlassTransformer(Host, parameters, trainSchema, TrainerOptions.FeatureColumnName, TrainerOptions.LabelColumnName);
    }
}
