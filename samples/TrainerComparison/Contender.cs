using Microsoft.ML;
using MLNet.AdaBelief;

namespace TrainerComparison;

/// <summary>One trainer in the comparison: its name, its featurization and the trainer.</summary>
/// <param name="Name">The name shown in the table and the plot's legend.</param>
/// <param name="Featurizer">The featurization the trainer gets.</param>
/// <param name="Trainer">The trainer.</param>
internal sealed record Contender(string Name, IEstimator<ITransformer> Featurizer, IEstimator<ITransformer> Trainer)
{
    /// <summary>The trainer as an AdaBelief trainer, whose history is plotted, or null for a built-in trainer.</summary>
    public AdaBeliefRegressionTrainer? AdaBelief => Trainer as AdaBeliefRegressionTrainer;

    /// <summary>
    /// Fits the featurizer on the training rows, then the trainer on the featurized rows; AdaBelief also gets the
    /// featurized validation rows, so that its history holds the validation loss per epoch.
    /// </summary>
    public ITransformer Fit(IDataView train, IDataView validation)
    {
        ITransformer featurizer = Featurizer.Fit(train);
        IDataView features = featurizer.Transform(train);
        ITransformer trained = AdaBelief is { } adaBelief
            ? adaBelief.Fit(features, featurizer.Transform(validation))
            : Trainer.Fit(features);
        return featurizer.Append(trained);
    }
}

/// <summary>What one contender achieved on the held-out trips.</summary>
/// <param name="Contender">The trainer.</param>
/// <param name="RSquared">R² on the held-out trips.</param>
/// <param name="Rmse">Root mean squared error, in dollars.</param>
/// <param name="Mae">Mean absolute error, in dollars.</param>
/// <param name="HalfMse">Half the mean squared error: the AdaBelief trainer's validation loss, for every trainer.</param>
/// <param name="FitTime">The time <c>Fit</c> took, featurization included.</param>
/// <param name="ValidationLossPerEpoch">For AdaBelief, the validation loss after each epoch; empty otherwise.</param>
internal sealed record Outcome(Contender Contender, double RSquared, double Rmse, double Mae, double HalfMse, TimeSpan FitTime, IReadOnlyList<double> ValidationLossPerEpoch);
