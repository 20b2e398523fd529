using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;
using MLNet.AdaBelief.Trainers.Data;
using MLNet.AdaBelief.Trainers.Interop;
using MLNet.AdaBelief.Training;

namespace MLNet.AdaBelief;

/// <summary>
/// Logistic regression trained by mini-batch AdaBelief; returns ML.NET's own calibrated
/// <see cref="LinearBinaryModelParameters"/> (probability = sigmoid of the score, as L-BFGS logistic regression
/// returns). Made by <c>mlContext.BinaryClassification.Trainers.AdaBelief(...)</c>. The label is Boolean.
/// </summary>
public sealed class AdaBeliefBinaryTrainer
    : AdaBeliefTrainerBase<
        BinaryPredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>>,
        CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>>
{
    /// <summary>Settings of <see cref="AdaBeliefBinaryTrainer"/>.</summary>
    public sealed class Options : AdaBeliefTrainerOptionsBase
    {
    }

    internal AdaBeliefBinaryTrainer(IHostEnvironment env, Options options)
        : base(env, options, nameof(AdaBeliefBinaryTrainer), LabelKind.Boolean)
    {
    }

    /// <summary>Continues training from <paramref name="modelParameters"/> (warm start).</summary>
    /// <param name="trainData">The training data.</param>
    /// <param name="modelParameters">A linear model over the same features to start from.</param>
    public BinaryPredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>> Fit(
        IDataView trainData, LinearModelParameters modelParameters)
    {
        ArgumentNullException.ThrowIfNull(modelParameters);
        return Train(trainData, null, StartingPoint(modelParameters));
    }

    private protected override IEstimator<ITransformer> ReferenceEstimator() => ReferenceEstimators.Binary(TrainerOptions);

    private protected override ILinearLoss CreateLoss(TrainingColumns columns) => LinearLosses.Create(LinearModelLoss.Logistic);

    private protected override BinaryPredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>> MakeTransformer(
        LinearModelWeights model, DataViewSchema trainSchema, TrainingColumns columns) =>
        MLNetModelFactory.CreateBinaryTransformer(
            Host, MLNetModelFactory.CreateCalibratedLinearBinary(Host, model.Weights, model.Bias), trainSchema, TrainerOptions.FeatureColumnName);
}
