using System.Globalization;
using CsCheck;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.AdaBelief.Tests.Trainers.Behavior;

/// <summary>
/// A property over drawn trainer options and small drawn data sets (extreme feature and label scales, NaN and ±∞ in
/// a drawn share of rows, all-zero rows, sparse and dense vectors, a single row or feature, no rows at all): every
/// fit ends in a model whose weights and biases are all finite, or in one of the documented exceptions (<see cref="InvalidOperationException"/>
/// for training that diverged or has no usable rows, <see cref="ArgumentException"/> for data that does not suit the
/// task) with a message. Never NaN weights, never another exception type.
/// </summary>
/// <remarks>
/// The unit run draws <see cref="UnitCases"/> cases from a fixed seed. Set <c>ADABELIEF_PROPERTY_ITERATIONS</c> to
/// run that many cases with CsCheck's random seeds, on every core, shrinking any failure to a small case and printing
/// the seed that reproduces it.
/// </remarks>
[TestClass]
public sealed class RandomFitPropertyTests
{
    private const int UnitCases = 100;
    private const ulong UnitSeed = 20261201;

    private static readonly float[] Specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity];

    // Declared before Cases, which draws from it: static fields are initialized in order.
    private static readonly Gen<DrawnOptions> Options =
        from logRate in Gen.Double[-4, 1]
        from batch in Gen.Int[1, 64]
        from epochs in Gen.Frequency((1, Gen.Const((int?)null)), (3, Gen.Int[1, 5].Select(e => (int?)e)))
        from targetSteps in Gen.Int[1, 200]
        from standardize in Gen.Frequency((3, Gen.Const(true)), (1, Gen.Const(false)))
        from weightDecay in Gen.OneOf(0.0, 1e-3, 0.1)
        from decoupled in Gen.Bool
        from variant in Gen.Int[0, 7]
        from shape in Gen.Enum<LearningRateShape>()
        from clip in Gen.OneOf<double?>(null, null, 1.0)
        from patience in Gen.OneOf<int?>(null, null, 1)
        from zeroBias in Gen.Bool
        select new DrawnOptions(Math.Pow(10, logRate), batch, epochs, targetSteps, standardize, weightDecay, decoupled, variant, shape, clip, patience, zeroBias);

    private static readonly Gen<FitCase> Cases =
        from task in Gen.Int[0, 2]
        from rows in Gen.Frequency((1, Gen.Const(0)), (2, Gen.Const(1)), (7, Gen.Int[2, 60]))
        from features in Gen.Frequency((2, Gen.Const(1)), (8, Gen.Int[2, 8]))
        from sparse in Gen.Bool
        from featureScale in Gen.OneOf(1e-30f, 1e-6f, 1f, 1e3f, 1e9f, 1e18f, 1e30f)
        from labelScale in Gen.OneOf(1e-6f, 1f, 1e6f, 1e18f, 1e30f)
        from specialRate in Gen.OneOf(0.0, 0.0, 0.05, 0.3)
        from zeroRowRate in Gen.OneOf(0.0, 0.2, 1.0)
        from dataSeed in Gen.Int[0, 1_000_000]
        from options in Options
        select new FitCase(task, rows, features, sparse, featureScale, labelScale, specialRate, zeroRowRate, dataSeed, options);

    [TestMethod]
    public void EveryFit_EndsInAFiniteModel_OrADocumentedException()
    {
        if (Environment.GetEnvironmentVariable("ADABELIEF_PROPERTY_ITERATIONS") is { Length: > 0 } iterations)
        {
            Cases.Sample(c => { Check(c); }, iter: long.Parse(iterations, CultureInfo.InvariantCulture), print: c => c.ToString());
            return;
        }

        var pcg = new PCG(1, UnitSeed);
        var outcomes = new Dictionary<string, int>();
        for (int i = 0; i < UnitCases; i++)
        {
            FitCase drawn = Cases.Generate(pcg, null, out _);
            string outcome;
            try
            {
                outcome = Check(drawn);
            }
            catch (Exception e) when (e is not AssertFailedException)
            {
                throw new AssertFailedException($"case {i}: {drawn}", e);
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        // The draws must exercise both outcomes, or the property would hold vacuously.
        string summary = string.Join(", ", outcomes.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key}: {kv.Value}"));
        Console.WriteLine(summary);
        Assert.IsGreaterThanOrEqualTo(UnitCases / 3, outcomes.GetValueOrDefault("model"), summary);
        Assert.IsGreaterThanOrEqualTo(UnitCases / 10, UnitCases - outcomes.GetValueOrDefault("model"), summary);
    }

    /// <summary>Fits the drawn case and checks the outcome: "model", or the exception's type and the start of its message.</summary>
    private static string Check(FitCase drawn)
    {
        var ml = new MLContext(seed: 1);
        float[]? parameters;
        try
        {
            parameters = drawn.Task switch
            {
                0 => Regression(ml, drawn),
                1 => Binary(ml, drawn),
                _ => Multiclass(ml, drawn),
            };
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            Assert.IsFalse(string.IsNullOrWhiteSpace(e.Message), $"{e.GetType().Name} without a message: {drawn}");
            return $"{e.GetType().Name} \"{e.Message[..Math.Min(40, e.Message.Length)]}\"";
        }

        Assert.IsTrue(parameters.All(float.IsFinite), $"non-finite model [{string.Join(", ", parameters)}] for {drawn}");
        return "model";
    }

    private static float[] Regression(MLContext ml, FitCase drawn)
    {
        var random = new Random(drawn.DataSeed);
        var rows = new List<RegressionRow>();
        for (int i = 0; i < drawn.Rows; i++)
        {
            (VBuffer<float> features, float signal) = Features(random, drawn);
            float label = (signal + (float)random.NextDouble()) * drawn.LabelScale;
            rows.Add(new RegressionRow { Features = features, Label = Special(random, drawn, label) });
        }

        var options = new AdaBeliefRegressionTrainer.Options();
        drawn.Options.ApplyTo(options);
        var model = ml.Regression.Trainers.AdaBelief(options).Fit(Load<RegressionRow>(ml, rows, drawn.Features, null)).Model;
        return [.. model.Weights, model.Bias];
    }

    private static float[] Binary(MLContext ml, FitCase drawn)
    {
        var random = new Random(drawn.DataSeed);
        var rows = new List<BinaryRow>();
        for (int i = 0; i < drawn.Rows; i++)
        {
            (VBuffer<float> features, float signal) = Features(random, drawn);
            rows.Add(new BinaryRow { Features = features, Label = signal + random.NextDouble() - 0.5 > 0 });
        }

        var options = new AdaBeliefBinaryTrainer.Options();
        drawn.Options.ApplyTo(options);
        var model = ml.BinaryClassification.Trainers.AdaBelief(options).Fit(Load<BinaryRow>(ml, rows, drawn.Features, null)).Model.SubModel;
        return [.. model.Weights, model.Bias];
    }

    private static float[] Multiclass(MLContext ml, FitCase drawn)
    {
        var random = new Random(drawn.DataSeed);
        var rows = new List<KeyRow>();
        for (int i = 0; i < drawn.Rows; i++)
        {
            (VBuffer<float> features, float signal) = Features(random, drawn);
            rows.Add(new KeyRow { Features = features, Label = (uint)Math.Clamp((int)Math.Floor(signal + random.NextDouble() * 3), 0, 2) });
        }

        var options = new AdaBeliefMulticlassTrainer.Options();
        drawn.Options.ApplyTo(options);
        var model = ml.MulticlassClassification.Trainers.AdaBelief(options).Fit(Load<KeyRow>(ml, rows, drawn.Features, new KeyDataViewType(typeof(uint), 3))).Model;
        VBuffer<float>[] weights = [];
        model.GetWeights(ref weights, out _);
        return [.. weights.SelectMany(w => w.DenseValues()), .. model.GetBiases()];
    }

    /// <summary>One row's features at the drawn scale, dense or sparse, with the drawn share of all-zero rows and special values.</summary>
    private static (VBuffer<float> Features, float Signal) Features(Random random, FitCase drawn)
    {
        var values = new float[drawn.Features];
        float signal = 0;
        bool zeroRow = random.NextDouble() < drawn.ZeroRowRate;
        int special = random.NextDouble() < drawn.SpecialRate ? random.Next(values.Length) : -1;
        for (int j = 0; j < values.Length; j++)
        {
            float x = (float)(random.NextDouble() * 2 - 1);
            signal += j % 2 == 0 ? x : -x;
            if (zeroRow || (drawn.Sparse && random.NextDouble() < 0.7))
                continue;
            values[j] = j == special ? Specials[random.Next(Specials.Length)] : x * drawn.FeatureScale;
        }

        if (!drawn.Sparse)
            return (new VBuffer<float>(values.Length, values), signal);
        int[] indices = Enumerable.Range(0, values.Length).Where(j => values[j] != 0).ToArray();
        return (new VBuffer<float>(values.Length, indices.Length, indices.Select(j => values[j]).ToArray(), indices), signal);
    }

    /// <summary>A label, replaced by NaN or ±∞ in half the drawn share of rows.</summary>
    private static float Special(Random random, FitCase drawn, float value) =>
        random.NextDouble() < drawn.SpecialRate / 2 ? Specials[random.Next(Specials.Length)] : value;

    private static IDataView Load<TRow>(MLContext ml, List<TRow> rows, int features, DataViewType? labelType)
        where TRow : class
    {
        SchemaDefinition schema = SchemaDefinition.Create(typeof(TRow));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features);
        if (labelType is not null)
            schema["Label"].ColumnType = labelType;
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    private sealed class RegressionRow
    {
        public VBuffer<float> Features { get; set; }

        public float Label { get; set; }
    }

    private sealed class BinaryRow
    {
        public VBuffer<float> Features { get; set; }

        public bool Label { get; set; }
    }

    private sealed class KeyRow
    {
        public VBuffer<float> Features { get; set; }

        public uint Label { get; set; }
    }

    /// <summary>A drawn data set and options.</summary>
    private sealed record FitCase(
        int Task, int Rows, int Features, bool Sparse, float FeatureScale, float LabelScale, double SpecialRate, double ZeroRowRate, int DataSeed, DrawnOptions Options)
    {
        public override string ToString() => string.Create(
            CultureInfo.InvariantCulture,
            $"{(Task == 0 ? "regression" : Task == 1 ? "binary" : "multiclass")}, {Rows} rows × {Features} features ({(Sparse ? "sparse" : "dense")}), " +
            $"features ×{FeatureScale:G3}, labels ×{LabelScale:G3}, specials {SpecialRate}, zero rows {ZeroRowRate}, data seed {DataSeed}; {Options}");
    }

    /// <summary>Drawn trainer options.</summary>
    private sealed record DrawnOptions(
        double LearningRate, int BatchSize, int? Epochs, int TargetSteps, bool Standardize, double WeightDecay, bool Decoupled, int Variant,
        LearningRateShape Shape, double? ClipNorm, int? Patience, bool ZeroBias)
    {
        public void ApplyTo(AdaBeliefTrainerOptionsBase options)
        {
            options.LearningRate = LearningRate;
            options.BatchSize = BatchSize;
            options.NumberOfEpochs = Epochs;
            options.TargetSteps = TargetSteps;
            options.StandardizeFeatures = Standardize;
            options.WeightDecay = WeightDecay;
            options.DecoupledWeightDecay = Decoupled;
            options.Amsgrad = (Variant & 1) != 0;
            options.Rectify = (Variant & 2) != 0;
            options.Nesterov = (Variant & 4) != 0;
            options.LearningRateShape = Shape;
            options.GradientClipNorm = ClipNorm;
            options.EarlyStoppingPatience = Patience;
            options.BiasInitialization = ZeroBias ? BiasInitialization.Zero : BiasInitialization.FromLabels;
            options.Seed = 1;
        }
    }
}
