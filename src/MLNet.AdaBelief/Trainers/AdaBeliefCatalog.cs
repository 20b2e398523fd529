using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.AdaBelief.Trainers.Interop;

namespace MLNet.AdaBelief;

/// <summary>
/// The AdaBelief trainers in ML.NET's catalogs: <c>mlContext.Regression.Trainers.AdaBelief(...)</c>,
/// <c>mlContext.BinaryClassification.Trainers.AdaBelief(...)</c> and <c>mlContext.MulticlassClassification.Trainers.AdaBelief(...)</c>,
/// each with common settings as parameters or a full <c>Options</c> object.
/// </summary>
public static class AdaBeliefCatalog
{
    /// <summary>Linear regression trained by mini-batch AdaBelief, on raw features (no normalizer needed).</summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="labelColumnName">The label column (Single).</param>
    /// <param name="featureColumnName">The feature column (known-size vector of Single).</param>
    /// <param name="exampleWeightColumnName">The example weight column, or null.</param>
    /// <param name="learningRate">The peak learning rate; it decays linearly to 0 over the run.</param>
    /// <param name="numberOfEpochs">Passes over the data, or null to choose from the data size.</param>
    /// <param name="batchSize">Rows per mini-batch.</param>
    /// <param name="l2Regularization">
    /// The strength of the L2 penalty on the weights (not the bias), as in ML.NET's linear trainers: sets
    /// <see cref="AdaBeliefTrainerOptionsBase.L2Regularization"/>, which scales it to the size of the data.
    /// </param>
    /// <param name="seed">The shuffling seed, or null to draw it from the MLContext's seed.</param>
    public static AdaBeliefRegressionTrainer AdaBelief(
        this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = AdaBeliefTrainerDefaults.LabelColumnName,
        string featureColumnName = AdaBeliefTrainerDefaults.FeatureColumnName,
        string? exampleWeightColumnName = null,
        double learningRate = AdaBeliefTrainerDefaults.LearningRate,
        int? numberOfEpochs = null,
        int batchSize = AdaBeliefTrainerDefaults.BatchSize,
        double l2Regularization = AdaBeliefTrainerDefaults.L2Regularization,
        int? seed = null) =>
        AdaBelief(catalog, WithCommonSettings(new AdaBeliefRegressionTrainer.Options(), labelColumnName, featureColumnName, exampleWeightColumnName, learningRate, numberOfEpochs, batchSize, l2Regularization, seed));

    /// <summary>Linear regression trained by mini-batch AdaBelief, with every setting.</summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="options">The settings.</param>
    public static AdaBeliefRegressionTrainer AdaBelief(this RegressionCatalog.RegressionTrainers catalog, AdaBeliefRegressionTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new AdaBeliefRegressionTrainer(MLNetModelFactory.GetEnvironment(catalog), options);
    }

    /// <summary>Logistic regression trained by mini-batch AdaBelief, on raw features (no normalizer needed).</summary>
    /// <param name="catalog">The binary classification trainers catalog.</param>
    /// <param name="labelColumnName">The label column (Boolean).</param>
    /// <param name="featureColumnName">The feature column (known-size vector of Single).</param>
    /// <param name="exampleWeightColumnName">The example weight column, or null.</param>
    /// <param name="learningRate">The peak learning rate; it decays linearly to 0 over the run.</param>
    /// <param name="numberOfEpochs">Passes over the data, or null to choose from the data size.</param>
    /// <param name="batchSize">Rows per mini-batch.</param>
    /// <param name="l2Regularization">
    /// The strength of the L2 penalty on the weights (not the bias), as in ML.NET's linear trainers: sets
    /// <see cref="AdaBeliefTrainerOptionsBase.L2Regularization"/>, which scales it to the size of the data.
    /// </param>
    /// <param name="seed">The shuffling seed, or null to draw it from the MLContext's seed.</param>
    public static AdaBeliefBinaryTrainer AdaBelief(
        this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = AdaBeliefTrainerDefaults.LabelColumnName,
        string featureColumnName = AdaBeliefTrainerDefaults.FeatureColumnName,
        string? exampleWeightColumnName = null,
        double learningRate = AdaBeliefTrainerDefaults.LearningRate,
        int? numberOfEpochs = null,
        int batchSize = AdaBeliefTrainerDefaults.BatchSize,
        double l2Regularization = AdaBeliefTrainerDefaults.L2Regularization,
        int? seed = null) =>
        AdaBelief(catalog, WithCommonSettings(new AdaBeliefBinaryTrainer.Options(), labelColumnName, featureColumnName, exampleWeightColumnName, learningRate, numberOfEpochs, batchSize, l2Regularization, seed));

    /// <summary>Logistic regression trained by mini-batch AdaBelief, with every setting.</summary>
    /// <param name="catalog">The binary classification trainers catalog.</param>
    /// <param name="options">The settings.</param>
    public static AdaBeliefBinaryTrainer AdaBelief(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, AdaBeliefBinaryTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new AdaBeliefBinaryTrainer(MLNetModelFactory.GetEnvironment(catalog), options);
    }

    /// <summary>Multinomial logistic regression trained by mini-batch AdaBelief, on raw features (no normalizer needed).</summary>
    /// <param name="catalog">The multiclass classification trainers catalog.</param>
    /// <param name="labelColumnName">The label column (a key).</param>
    /// <param name="featureColumnName">The feature column (known-size vector of Single).</param>
    /// <param name="exampleWeightColumnName">The example weight column, or null.</param>
    /// <param name="learningRate">The peak learning rate; it decays linearly to 0 over the run.</param>
    /// <param name="numberOfEpochs">Passes over the data, or null to choose from the data size.</param>
    /// <param name="batchSize">Rows per mini-batch.</param>
    /// <param name="l2Regularization">
    /// The strength of the L2 penalty on the weights (not the bias), as in ML.NET's linear trainers: sets
    /// <see cref="AdaBeliefTrainerOptionsBase.L2Regularization"/>, which scales it to the size of the data.
    /// </param>
    /// <param name="seed">The shuffling seed, or null to draw it from the MLContext's seed.</param>
    public static AdaBeliefMulticlassTrainer AdaBelief(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = AdaBeliefTrainerDefaults.LabelColumnName,
        string featureColumnName = AdaBeliefTrainerDefaults.FeatureColumnName,
        string? exampleWeightColumnName = null,
        double learningRate = AdaBeliefTrainerDefaults.LearningRate,
        int? numberOfEpochs = null,
        int batchSize = AdaBeliefTrainerDefaults.BatchSize,
        double l2Regularization = AdaBeliefTrainerDefaults.L2Regularization,
        int? seed = null) =>
        AdaBelief(catalog, WithCommonSettings(new AdaBeliefMulticlassTrainer.Options(), labelColumnName, featureColumnName, exampleWeightColumnName, learningRate, numberOfEpochs, batchSize, l2Regularization, seed));

    /// <summary>Multinomial logistic regression trained by mini-batch AdaBelief, with every setting.</summary>
    /// <param name="catalog">The multiclass classification trainers catalog.</param>
    /// <param name="options">The settings.</param>
    public static AdaBeliefMulticlassTrainer AdaBelief(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, AdaBeliefMulticlassTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new AdaBeliefMulticlassTrainer(MLNetModelFactory.GetEnvironment(catalog), options);
    }

    // The simple overloads differ only in the Options type they fill.
    private static TOptions WithCommonSettings<TOptions>(
        TOptions options, string labelColumnName, string featureColumnName, string? exampleWeightColumnName,
        double learningRate, int? numberOfEpochs, int batchSize, double l2Regularization, int? seed)
        where TOptions : AdaBeliefTrainerOptionsBase
    {
        options.L2Regularization = l2Regularization;
        options.Seed = seed;
        options.LabelColumnName = labelColumnName;
        options.FeatureColumnName = featureColumnName;
        options.ExampleWeightColumnName = exampleWeightColumnName;
        options.LearningRate = learningRate;
        options.NumberOfEpochs = numberOfEpochs;
        options.BatchSize = batchSize;
        return options;
    }
}
