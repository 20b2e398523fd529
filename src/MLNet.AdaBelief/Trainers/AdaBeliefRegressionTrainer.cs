using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;
using Microsoft.ML.SearchSpace;
using MLNet.AdaBelief.Trainers.Data;
using MLNet.AdaBelief.Trainers.Interop;
using MLNet.AdaBelief.Training;

namespace MLNet.AdaBelief;

/// <summary>
/// Linear regression trained by mini-batch AdaBelief; returns ML.NET's own
/// <see cref="LinearRegressionModelParameters"/>. Made by <c>mlContext.Regression.Trainers.AdaBelief(...)</c>.
/// </summary>
/// <remarks>
/// Features need no normalizer: the trainer standardizes them internally and folds the scaling back into the
/// returned weights. The model saves with <c>mlContext.Model.Save</c> and loads where this package is absent.
/// </remarks>
public sealed class AdaBeliefRegressionTrainer
    : AdaBeliefTrainerBase<RegressionPredictionTransformer<LinearRegressionModelParameters>, LinearRegressionModelParameters>
{
    /// <summary>Settings of <see cref="AdaBeliefRegressionTrainer"/>.</summary>
    public sealed class Options : AdaBeliefTrainerOptionsBase
    {
        /// <summary>The loss: squared (default) or Huber.</summary>
        public RegressionLoss LossFunction { get; set; } = RegressionLoss.Squared;

        /// <summary>Where Huber loss turns from squared to linear, in label units; positive. Default 1.</summary>
        public double HuberDelta { get; set; } = 1.0;
    }

    internal AdaBeliefRegressionTrainer(IHostEnvironment env, Options options)
        : base(env, options, nameof(AdaBeliefRegressionTrainer), LabelKind.Real)
    {
        ArgumentChecks.RequirePositive(options.HuberDelta, nameof(options.HuberDelta));
        ArgumentChecks.RequireDefined(options.LossFunction, nameof(options.LossFunction));
    }

    /// <summary>Continues training from <paramref name="modelParameters"/> (warm start).</summary>
    /// <param name="trainData">The training data.</param>
    /// <param name="modelParameters">A linear model over the same features to start from.</param>
    public RegressionPredictionTransformer<LinearRegressionModelParameters> Fit(IDataView trainData, LinearModelParameters modelParameters)
    {
        ArgumentNullException.ThrowIfNull(modelParameters);
        return Train(trainData, null, StartingPoint(modelParameters));
    }

    private protected override IEstimator<ITransformer> ReferenceEstimator() => ReferenceEstimators.Regression(TrainerOptions);

    private protected override ILinearLoss CreateLoss(TrainingColumns columns)
    {
        var options = (Options)TrainerOptions;
        return options.LossFunction == RegressionLoss.Huber
            ? LinearLosses.Create(LinearModelLoss.Huber, huberDelta: (float)options.HuberDelta)
            : LinearLosses.Create(LinearModelLoss.Squared);
    }

    private protected override RegressionPredictionTransformer<LinearRegressionModelParameters> MakeTransformer(
        LinearModelWeights model, DataViewSchema trainSchema, TrainingColumns columns) =>
        MLNetModelFactory.CreateRegressionTransformer(
            Host, MLNetModelFactory.CreateLinearRegression(Host, model.Weights, model.Bias), trainSchema, TrainerOptions.FeatureColumnName);
}
