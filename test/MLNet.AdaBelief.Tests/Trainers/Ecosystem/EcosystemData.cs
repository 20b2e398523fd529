using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms;

namespace MLNet.AdaBelief.Tests.Trainers.Ecosystem;

/// <summary>
/// Training and scoring data for the ecosystem tests: the synthetic sets of <see cref="SyntheticData"/>, with the
/// multiclass label mapped to a key, and models trained once on them.
/// </summary>
internal static class EcosystemData
{
    public const int TrainRows = 2000;
    public const int TestRows = 1000;
    public const int TrainSeed = 2;
    public const int TestSeed = 3;

    /// <summary>The synthetic feature with the largest |weight × scale|: it moves the target the most.</summary>
    public static int DominantFeature => Enumerable.Range(0, SyntheticData.FeatureCount)
        .MaxBy(j => Math.Abs(SyntheticData.TrueWeights[j] * SyntheticData.FeatureScales[j]));

    /// <summary>The synthetic feature with the smallest |weight × scale|.</summary>
    public static int WeakestFeature => Enumerable.Range(0, SyntheticData.FeatureCount)
        .MinBy(j => Math.Abs(SyntheticData.TrueWeights[j] * SyntheticData.FeatureScales[j]));

    public static IDataView Regression(MLContext ml, int rows = TrainRows, int seed = TrainSeed) =>
        SyntheticData.Load(ml, SyntheticData.Regression(rows, seed));

    public static IDataView Binary(MLContext ml, int rows = TrainRows, int seed = TrainSeed) =>
        SyntheticData.Load(ml, SyntheticData.Binary(rows, seed));

    /// <summary>The multiclass rows with <c>Class</c> mapped to the key column <c>Label</c> (key k is class k - 1).</summary>
    public static IDataView Multiclass(MLContext ml, int rows = TrainRows, int seed = TrainSeed)
    {
        IDataView raw = SyntheticData.Load(ml, SyntheticData.Multiclass(rows, seed));
        return MapClassToKey(ml).Fit(raw).Transform(raw);
    }

    /// <summary>Maps the uint <c>Class</c> column to the key label <c>Label</c>, keys in order of value.</summary>
    public static ValueToKeyMappingEstimator MapClassToKey(MLContext ml) =>
        ml.Transforms.Conversion.MapValueToKey("Label", "Class", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue);

    public static RegressionPredictionTransformer<LinearRegressionModelParameters> TrainRegression(MLContext ml, IDataView data) =>
        ml.Regression.Trainers.AdaBelief().Fit(data);

    public static BinaryPredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>> TrainBinary(MLContext ml, IDataView data) =>
        ml.BinaryClassification.Trainers.AdaBelief().Fit(data);

    public static MulticlassPredictionTransformer<MaximumEntropyModelParameters> TrainMulticlass(MLContext ml, IDataView data) =>
        ml.MulticlassClassification.Trainers.AdaBelief().Fit(data);

    /// <summary>The float column <paramref name="name"/> of every row.</summary>
    public static float[] Floats(IDataView data, string name) =>
        data.GetColumn<float>(name).ToArray();

    /// <summary>The vector column <paramref name="name"/> of every row, concatenated.</summary>
    public static float[] FlatVectors(IDataView data, string name) =>
        data.GetColumn<VBuffer<float>>(name).SelectMany(v => v.DenseValues()).ToArray();

    /// <summary>The rows' feature vectors, row after row, as a [rows × features] buffer.</summary>
    public static float[] FlatFeatures(IDataView data) => FlatVectors(data, "Features");

    /// <summary>One row of features: a view with only the <c>Features</c> column.</summary>
    public sealed class FeaturesRow
    {
        [VectorType(SyntheticData.FeatureCount)]
        public float[] Features { get; set; } = [];
    }

    public sealed class RegressionPrediction
    {
        public float Score { get; set; }
    }

    public sealed class BinaryPrediction
    {
        public float Score { get; set; }

        public float Probability { get; set; }

        public bool PredictedLabel { get; set; }
    }

    public sealed class MulticlassPrediction
    {
        public float[] Score { get; set; } = [];

        public uint PredictedLabel { get; set; }
    }

    /// <summary>The synthetic features as separate scalar columns F0..F4, for pipelines that concatenate them.</summary>
    public sealed class ColumnsRow
    {
        public float F0 { get; set; }

        public float F1 { get; set; }

        public float F2 { get; set; }

        public float F3 { get; set; }

        public float F4 { get; set; }

        public float RealLabel { get; set; }

        public bool BoolLabel { get; set; }

        public uint Class { get; set; }
    }

    public static readonly string[] ColumnNames = ["F0", "F1", "F2", "F3", "F4"];

    /// <summary>
    /// Rows with the synthetic features split into scalar columns and all three labels: the regression target, the
    /// binary label (target above its median) and a three-class label (target in thirds).
    /// </summary>
    public static ColumnsRow[] Columns(int rows, int seed)
    {
        SyntheticData.RegressionRow[] source = SyntheticData.Regression(rows, seed);
        float[] sorted = source.Select(r => r.Label).Order().ToArray();
        float median = sorted[rows / 2];
        float lowThird = sorted[rows / 3];
        float highThird = sorted[2 * rows / 3];
        return source.Select(r => new ColumnsRow
        {
            F0 = r.Features[0],
            F1 = r.Features[1],
            F2 = r.Features[2],
            F3 = r.Features[3],
            F4 = r.Features[4],
            RealLabel = r.Label,
            BoolLabel = r.Label > median,
            Class = r.Label < lowThird ? 0u : r.Label < highThird ? 1u : 2u,
        }).ToArray();
    }
}
