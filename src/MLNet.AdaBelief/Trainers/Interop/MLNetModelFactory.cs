using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;

namespace MLNet.AdaBelief.Trainers.Interop;

/// <summary>
/// The one place that builds ML.NET's own linear model and prediction-transformer types.
/// </summary>
/// <remarks>
/// <para>
/// The trainers of this package return exactly the types ML.NET's built-in linear trainers return
/// (<see cref="LinearRegressionModelParameters"/>, a Platt-calibrated <see cref="LinearBinaryModelParameters"/>,
/// <see cref="MaximumEntropyModelParameters"/>, wrapped in ML.NET's prediction transformers). Only those types
/// can be written by <c>mlContext.Model.Save</c> and read back by a program that references Microsoft.ML alone,
/// and only they work unchanged with <c>Evaluate</c>, <c>CrossValidate</c>, permutation feature importance,
/// <c>PredictionEngine</c>, one-versus-all and ONNX export.
/// </para>
/// <para>
/// Their constructors are internal to Microsoft.ML, so they are reached by reflection. Every member is looked up
/// once, on first use, by exact parameter types, and cached. A member that cannot be found raises an
/// <see cref="InvalidOperationException"/> that names the member and the loaded Microsoft.ML version.
/// </para>
/// </remarks>
internal static class MLNetModelFactory
{
    /// <summary>
    /// The Microsoft.ML versions this package is tested against, such as "5.0.1 to 6.0.0": the range its package
    /// dependency states, stamped into the assembly by the build (Directory.Packages.props).
    /// </summary>
    internal static string TestedMicrosoftMLVersions { get; } =
        typeof(MLNetModelFactory).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "TestedMicrosoftMLVersions")?.Value ?? "unknown";

    /// <summary>
    /// The decision threshold ML.NET's built-in binary trainers (L-BFGS and SDCA logistic regression) pass to
    /// <see cref="BinaryPredictionTransformer{TModel}"/>: its default, 0 on the raw score, which is the same
    /// decision as probability 0.5 under the sigmoid calibrator.
    /// </summary>
    internal const float BinaryThreshold = 0f;

    /// <summary>The column the binary threshold applies to in the built-in trainers: the raw score.</summary>
    internal const string BinaryThresholdColumn = "Score";

    /// <summary>The name of the multiclass score column ML.NET's multiclass trainers use.</summary>
    internal const string MulticlassScoreColumn = "Score";

    /// <summary>The name of the multiclass predicted-label column ML.NET's multiclass trainers use.</summary>
    internal const string MulticlassPredictedLabelColumn = "PredictedLabel";

    /// <summary>Slope of the Platt calibrator that makes probability = 1 / (1 + exp(-score)).</summary>
    internal const double SigmoidSlope = -1;

    /// <summary>Offset of the Platt calibrator that makes probability = 1 / (1 + exp(-score)).</summary>
    internal const double SigmoidOffset = 0;

    private static readonly Type VBufferByRef = typeof(VBuffer<float>).MakeByRefType();

    private static readonly Lazy<ConstructorInfo> LinearRegressionCtor = new(() => FindConstructor(
        typeof(LinearRegressionModelParameters),
        typeof(IHostEnvironment), VBufferByRef, typeof(float)));

    private static readonly Lazy<ConstructorInfo> LinearBinaryCtor = new(() => FindConstructor(
        typeof(LinearBinaryModelParameters),
        typeof(IHostEnvironment), VBufferByRef, typeof(float), typeof(ModelStatisticsBase)));

    private static readonly Lazy<ConstructorInfo> PlattCalibratorCtor = new(() => FindConstructor(
        typeof(PlattCalibrator),
        typeof(IHostEnvironment), typeof(double), typeof(double)));

    private static readonly Lazy<ConstructorInfo> CalibratedBinaryCtor = new(() =>
    {
        // Internal type: the one L-BFGS and SDCA logistic regression return, seen from outside as
        // CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>.
        Type generic = FindType(typeof(PlattCalibrator).Assembly,
            "Microsoft.ML.Calibrators.ParameterMixingCalibratedModelParameters`2");
        Type closed = generic.MakeGenericType(typeof(LinearBinaryModelParameters), typeof(PlattCalibrator));
        return FindConstructor(closed,
            typeof(IHostEnvironment), typeof(LinearBinaryModelParameters), typeof(PlattCalibrator));
    });

    private static readonly Lazy<ConstructorInfo> MaximumEntropyCtor = new(() => FindConstructor(
        typeof(MaximumEntropyModelParameters),
        typeof(IHostEnvironment), typeof(VBuffer<float>[]), typeof(float[]), typeof(int), typeof(int),
        typeof(string[]), typeof(ModelStatisticsBase)));

    private static readonly Lazy<ConstructorInfo> RegressionTransformerCtor = new(() => FindConstructor(
        typeof(RegressionPredictionTransformer<LinearRegressionModelParameters>),
        typeof(IHostEnvironment), typeof(LinearRegressionModelParameters), typeof(DataViewSchema), typeof(string)));

    private static readonly Lazy<ConstructorInfo> BinaryTransformerCtor = new(() => FindConstructor(
        typeof(BinaryPredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>>),
        typeof(IHostEnvironment), typeof(CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>),
        typeof(DataViewSchema), typeof(string), typeof(float), typeof(string)));

    private static readonly Lazy<ConstructorInfo> MulticlassTransformerCtor = new(() => FindConstructor(
        typeof(MulticlassPredictionTransformer<MaximumEntropyModelParameters>),
        typeof(IHostEnvironment), typeof(MaximumEntropyModelParameters), typeof(DataViewSchema),
        typeof(string), typeof(string), typeof(string), typeof(string)));

    private static readonly Lazy<ConstructorInfo> TrainerInfoCtor = new(() => FindConstructor(
        typeof(TrainerInfo),
        typeof(bool), typeof(bool), typeof(bool), typeof(bool), typeof(bool), typeof(bool)));

    private static readonly Lazy<MethodInfo> SchemaShapeCreate = new(() =>
        typeof(SchemaShape).GetMethod(
            "Create", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static, binder: null, [typeof(DataViewSchema)], modifiers: null)
        ?? throw MissingMember("SchemaShape.Create(DataViewSchema)"));

    private static readonly Lazy<PropertyInfo> CatalogEnvironmentProperty = new(() =>
    {
        // A catalog such as RegressionCatalog.RegressionTrainers exposes its MLContext only through this
        // internal interface.
        Type catalogInterface = FindType(typeof(RegressionCatalog).Assembly, "Microsoft.ML.Data.IInternalCatalog");
        return catalogInterface.GetProperty("Environment", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
            is { PropertyType: var type } property && type == typeof(IHostEnvironment)
            ? property
            : throw MissingMember(catalogInterface.FullName + ".Environment (IHostEnvironment)");
    });

    /// <summary>Builds ML.NET's linear regression model from dense weights.</summary>
    internal static LinearRegressionModelParameters CreateLinearRegression(IHostEnvironment env, ReadOnlySpan<float> weights, float bias)
        => CreateLinearRegression(env, Dense(weights), bias);

    /// <summary>
    /// Builds ML.NET's linear regression model. The model takes ownership of <paramref name="weights"/>' arrays;
    /// ML.NET rejects non-finite weights or bias.
    /// </summary>
    internal static LinearRegressionModelParameters CreateLinearRegression(IHostEnvironment env, in VBuffer<float> weights, float bias)
    {
        ArgumentNullException.ThrowIfNull(env);
        return Create<LinearRegressionModelParameters>(LinearRegressionCtor, env, weights, bias);
    }

    /// <summary>
    /// Builds ML.NET's uncalibrated linear binary model, without training statistics. The model takes ownership
    /// of <paramref name="weights"/>' arrays; ML.NET rejects non-finite weights or bias.
    /// </summary>
    internal static LinearBinaryModelParameters CreateLinearBinary(IHostEnvironment env, in VBuffer<float> weights, float bias)
    {
        ArgumentNullException.ThrowIfNull(env);
        return Create<LinearBinaryModelParameters>(LinearBinaryCtor, env, weights, bias, null);
    }

    /// <summary>
    /// Builds ML.NET's Platt calibrator with slope -1 and offset 0: probability = 1 / (1 + exp(-score)),
    /// the calibrator L-BFGS logistic regression attaches.
    /// </summary>
    internal static PlattCalibrator CreateSigmoidCalibrator(IHostEnvironment env)
    {
        ArgumentNullException.ThrowIfNull(env);
        return Create<PlattCalibrator>(PlattCalibratorCtor, env, SigmoidSlope, SigmoidOffset);
    }

    /// <summary>
    /// Builds the calibrated binary model L-BFGS logistic regression returns: the linear model, whose score is
    /// w·x + b, with the sigmoid calibrator.
    /// </summary>
    internal static CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator> CreateCalibratedLinearBinary(
        IHostEnvironment env, in VBuffer<float> weights, float bias)
    {
        ArgumentNullException.ThrowIfNull(env);
        LinearBinaryModelParameters predictor = CreateLinearBinary(env, weights, bias);
        PlattCalibrator calibrator = CreateSigmoidCalibrator(env);
        return Create<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>>(
            CalibratedBinaryCtor, env, predictor, calibrator);
    }

    /// <summary>Builds the calibrated binary model from dense weights.</summary>
    internal static CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator> CreateCalibratedLinearBinary(
        IHostEnvironment env, ReadOnlySpan<float> weights, float bias)
        => CreateCalibratedLinearBinary(env, Dense(weights), bias);

    /// <summary>
    /// Builds ML.NET's multiclass logistic regression model: score of class k is softmax(W x + b)[k].
    /// </summary>
    /// <param name="env">The environment.</param>
    /// <param name="weights">One weight vector of length <paramref name="numFeatures"/> per class (copied).</param>
    /// <param name="bias">One bias per class.</param>
    /// <param name="numClasses">Number of classes, at least 2.</param>
    /// <param name="numFeatures">Length of the feature vector, at least 1.</param>
    /// <param name="labelNames">Class names for the model summary (see <see cref="MulticlassLabelNames"/>), or null.</param>
    internal static MaximumEntropyModelParameters CreateMaximumEntropy(
        IHostEnvironment env, VBuffer<float>[] weights, float[] bias, int numClasses, int numFeatures, string[]? labelNames)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(bias);
        if (labelNames is not null && labelNames.Length != numClasses)
        {
            throw new ArgumentException(
                $"labelNames has {labelNames.Length} entries; it must be null or have one per class ({numClasses}).", nameof(labelNames));
        }

        return Create<MaximumEntropyModelParameters>(
            MaximumEntropyCtor, env, weights, bias, numClasses, numFeatures, labelNames, null);
    }

    /// <summary>Wraps a regression model the way ML.NET's linear regression trainers do.</summary>
    internal static RegressionPredictionTransformer<LinearRegressionModelParameters> CreateRegressionTransformer(
        IHostEnvironment env, LinearRegressionModelParameters model, DataViewSchema trainSchema, string featureColumn)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(trainSchema);
        ArgumentException.ThrowIfNullOrEmpty(featureColumn);
        return Create<RegressionPredictionTransformer<LinearRegressionModelParameters>>(
            RegressionTransformerCtor, env, model, trainSchema, featureColumn);
    }

    /// <summary>
    /// Wraps a calibrated binary model the way L-BFGS logistic regression does: threshold
    /// <see cref="BinaryThreshold"/> on <see cref="BinaryThresholdColumn"/>.
    /// </summary>
    internal static BinaryPredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>> CreateBinaryTransformer(
        IHostEnvironment env, CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator> model,
        DataViewSchema trainSchema, string featureColumn,
        float threshold = BinaryThreshold, string thresholdColumn = BinaryThresholdColumn)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(trainSchema);
        ArgumentException.ThrowIfNullOrEmpty(featureColumn);
        ArgumentException.ThrowIfNullOrEmpty(thresholdColumn);
        return Create<BinaryPredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>>>(
            BinaryTransformerCtor, env, model, trainSchema, featureColumn, threshold, thresholdColumn);
    }

    /// <summary>
    /// Wraps a multiclass model the way L-BFGS maximum entropy does: the training label column is passed so
    /// the predicted label maps back to the label's key values; score and predicted-label columns keep their
    /// default names.
    /// </summary>
    internal static MulticlassPredictionTransformer<MaximumEntropyModelParameters> CreateMulticlassTransformer(
        IHostEnvironment env, MaximumEntropyModelParameters model, DataViewSchema trainSchema,
        string featureColumn, string? labelColumn)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(trainSchema);
        ArgumentException.ThrowIfNullOrEmpty(featureColumn);
        return Create<MulticlassPredictionTransformer<MaximumEntropyModelParameters>>(
            MulticlassTransformerCtor, env, model, trainSchema, featureColumn, labelColumn,
            MulticlassScoreColumn, MulticlassPredictedLabelColumn);
    }

    /// <summary>
    /// The environment behind a trainer catalog (for example <c>mlContext.Regression.Trainers</c>), or the
    /// environment itself when an <see cref="IHostEnvironment"/> such as <see cref="MLContext"/> is passed.
    /// </summary>
    internal static IHostEnvironment GetEnvironment(object catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (catalog is IHostEnvironment env)
        {
            return env;
        }

        PropertyInfo property = CatalogEnvironmentProperty.Value;
        if (!property.DeclaringType!.IsInstanceOfType(catalog))
        {
            throw new ArgumentException(
                $"{catalog.GetType().FullName} is not an ML.NET catalog (it does not implement {property.DeclaringType.FullName}).",
                nameof(catalog));
        }

        return property.GetValue(catalog) as IHostEnvironment
            ?? throw new InvalidOperationException($"The catalog {catalog.GetType().FullName} has no environment.");
    }

    /// <summary>
    /// ML.NET's description of a trainer: whether it wants normalized and cached input, is calibrated, and accepts
    /// validation data and a starting model.
    /// </summary>
    internal static TrainerInfo CreateTrainerInfo(
        bool normalization, bool calibration, bool caching, bool supportValid, bool supportIncrementalTrain) =>
        Create<TrainerInfo>(TrainerInfoCtor, normalization, calibration, caching, supportValid, supportIncrementalTrain, false);

    /// <summary>
    /// The <see cref="SchemaShape"/> of a data view's schema, as built-in trainers derive it before checking their
    /// columns, so that Fit can run the same checks (and throw the same errors) as the built-in trainer.
    /// </summary>
    internal static SchemaShape CreateSchemaShape(DataViewSchema schema)
    {
        try
        {
            return (SchemaShape)SchemaShapeCreate.Value.Invoke(null, [schema])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }

    /// <summary>Resolves every reflected member now and returns them, so a test can check them all at once.</summary>
    internal static IReadOnlyList<MemberInfo> EnsureResolved() =>
    [
        LinearRegressionCtor.Value,
        LinearBinaryCtor.Value,
        PlattCalibratorCtor.Value,
        CalibratedBinaryCtor.Value,
        MaximumEntropyCtor.Value,
        RegressionTransformerCtor.Value,
        BinaryTransformerCtor.Value,
        MulticlassTransformerCtor.Value,
        TrainerInfoCtor.Value,
        SchemaShapeCreate.Value,
        CatalogEnvironmentProperty.Value,
    ];

    /// <summary>
    /// The instance constructor of <paramref name="type"/> with exactly these parameter types, public or not.
    /// </summary>
    /// <exception cref="InvalidOperationException">There is none in the loaded Microsoft.ML.</exception>
    internal static ConstructorInfo FindConstructor(Type type, params Type[] parameterTypes)
    {
        ConstructorInfo? ctor = type.GetConstructor(
            BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, binder: null, parameterTypes, modifiers: null);
        return ctor ?? throw MissingMember(
            $"{TypeName(type)}({string.Join(", ", parameterTypes.Select(TypeName))})");
    }

    private static Type FindType(Assembly assembly, string fullName)
        => assembly.GetType(fullName, throwOnError: false) ?? throw MissingMember($"type {fullName} in {assembly.GetName().Name}");

    private static InvalidOperationException MissingMember(string member)
    {
        Assembly ml = typeof(MLContext).Assembly;
        string? informational = ml.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return new InvalidOperationException(
            $"MLNet.AdaBelief cannot find {member} in the loaded Microsoft.ML (assembly version {ml.GetName().Version}, " +
            $"product version {informational ?? "unknown"}). This package is tested with Microsoft.ML {TestedMicrosoftMLVersions} " +
            "and builds ML.NET's own model types through those versions' internal constructors; " +
            "reference a tested Microsoft.ML version or a version of this package tested with yours.");
    }

    private static T Create<T>(Lazy<ConstructorInfo> ctor, params object?[] args)
        where T : class
    {
        ConstructorInfo info = ctor.Value;
        object result;
        try
        {
            result = info.Invoke(args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            // ML.NET's own argument checks throw inside the constructor; surface them unwrapped.
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }

        return (T)result;
    }

    private static VBuffer<float> Dense(ReadOnlySpan<float> weights) => new(weights.Length, weights.ToArray());

    private static string TypeName(Type type)
    {
        if (type.IsByRef)
        {
            return "in " + TypeName(type.GetElementType()!);
        }

        if (type.IsArray)
        {
            return TypeName(type.GetElementType()!) + "[]";
        }

        if (!type.IsGenericType)
        {
            return type.Name;
        }

        string name = type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)];
        return $"{name}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>";
    }
}
