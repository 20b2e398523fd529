using MLNet.AdaBelief.Training;

namespace MLNet.AdaBelief.Tests.Training;

/// <summary>
/// The sparse path (lazy steps, features scaled on the fly by their largest magnitude): it trains what the dense path
/// trains when every feature is in the batch, leaves features that never appear alone, leaves one-hot columns unscaled,
/// fits text with several classes, and keeps the rules of every path (seed, streaming).
/// </summary>
[TestClass]
public sealed class SparseTrainingTests
{
    // Equal within rounding, not bit for bit: the sparse path sums each row's contribution per present feature, the
    // dense path sums two halves of the batch over every feature, so the gradient's float sums differ in order. Batches
    // of 40 rows, half of whose values are nonzero, hold every one of the 7 features (all but surely), and their noise
    // keeps AdaBelief's belief term from magnifying those rounding differences (as a steady full-batch gradient would).
    [TestMethod]
    [DataRow("Squared", 0)]
    [DataRow("Logistic", 0)]
    [DataRow("SoftmaxCrossEntropy", 3)]
    [DataRow("SoftmaxCrossEntropy", 5)] // the sparse scores in two overlapping 128-bit registers
    [DataRow("SoftmaxCrossEntropy", 10)] // two overlapping 256-bit registers (or 128-bit ones, then in memory)
    [DataRow("SoftmaxCrossEntropy", 22)] // two overlapping 512-bit registers where the machine has them
    [DataRow("SoftmaxCrossEntropy", 40)] // more classes than two registers hold: summed in memory
    [DataRow("Logistic", 0, 39)] // single-output rows are scored two at a time: an odd batch scores its last alone
    public void EveryFeatureInTheBatch_SparseTrainsWhatDenseTrains(string lossName, int classes, int batchSize = 40)
    {
        LinearModelLoss loss = Enum.Parse<LinearModelLoss>(lossName);
        TestRows data = Labelled(TrainingTestData.Random(1, rows: 400, features: 7, (_, _) => 0f, zeroShare: 0.5), loss, classes);
        var settings = new LinearTrainerSettings { Epochs = 4, BatchSize = batchSize, Seed = 8, ScaleFeatures = false };

        LinearModelWeights dense = Trainer(loss, classes, settings).Train(data.Rows(sparse: false)).Model;
        LinearModelWeights sparse = Trainer(loss, classes, settings).Train(data.Rows(sparse: true)).Model;

        AssertClose(dense.Weights, sparse.Weights, 1e-4f);
        AssertClose(dense.Biases, sparse.Biases, 1e-4f);
    }

    [TestMethod]
    public void SparseScaling_TrainsWhatUnscaledTrainingOnPrescaledRowsTrains()
    {
        // Features of very different ranges; the sparse path divides each whose values leave [-1, 1] by its largest
        // magnitude as it reads it, and leaves the one of range 0.01 as it is (magnifying it would favour it).
        TestRows raw = TrainingTestData.Random(2, rows: 150, features: 5, (_, x) => x[0] - x[3] > 0 ? 1f : 0f, zeroShare: 0.5);
        float[] ranges = [1f, 30f, 0.01f, 500f, 2f];
        raw = raw with { Features = raw.Features.Select(x => x.Select((v, j) => v * ranges[j]).ToArray()).ToArray() };
        float[] divisor = Enumerable.Range(0, 5).Select(j => Math.Max(1f, raw.Features.Max(x => Math.Abs(x[j])))).ToArray();
        Assert.AreEqual(1f, divisor[2], "the small feature is not magnified");
        Assert.IsGreaterThan(1f, divisor[3]);
        TestRows prescaled = raw with { Features = raw.Features.Select(x => x.Select((v, j) => v / divisor[j]).ToArray()).ToArray() };
        var settings = new LinearTrainerSettings { Epochs = 5, BatchSize = 150, Shuffle = false };

        LinearModelWeights scaledOnTheFly = Trainer(LinearModelLoss.Logistic, 0, settings).Train(raw.Rows(sparse: true)).Model;
        LinearModelWeights onPrescaled = Trainer(LinearModelLoss.Logistic, 0, settings with { ScaleFeatures = false }).Train(prescaled.Rows(sparse: true)).Model;

        float[] folded = scaledOnTheFly.Weights.Select((w, j) => w * divisor[j]).ToArray();
        AssertClose(onPrescaled.Weights, folded, 1e-4f);
        AssertClose(onPrescaled.Biases, scaledOnTheFly.Biases, 1e-4f);
    }

    [TestMethod]
    public void NormalizedTextLikeFeatures_AreNotScaled()
    {
        // Rows of a few "tokens" with values in (0, 1), L2-normalized per row as FeaturizeText leaves them: the
        // scaled and the unscaled fits are the same bits, every factor being exactly 1.
        var random = new Random(6);
        float[][] features = Enumerable.Range(0, 200).Select(_ =>
        {
            var x = new float[40];
            for (int k = 0; k < 4; k++)
                x[random.Next(40)] += 1f;
            float norm = MathF.Sqrt(x.Sum(v => v * v));
            return x.Select(v => v / norm).ToArray();
        }).ToArray();
        float[] labels = features.Select(x => x[0] + x[1] > x[2] + x[3] ? 1f : 0f).ToArray();
        AssertScalingOnAndOffTrainTheSameBits(new TestRows(features, labels, labels.Select(_ => 1f).ToArray()));
    }

    [TestMethod]
    public void OneHotColumns_AreNotScaled_NumericColumnsComeToUnitRange()
    {
        // Two one-hot groups (a rare category among them) and a numeric column up to 50, concatenated sparse.
        var random = new Random(3);
        TestRows data = OneHot(random, rows: 300, withNumeric: true);
        DataStatistics statistics = DataStatistics.Compute(data.Rows(sparse: true), measureFeatures: true, classCount: 0, sparseSpread: true);
        for (int j = 0; j < 6; j++)
            Assert.AreEqual(1.0, statistics.FeatureMaxDeviation![j], $"one-hot column {j}");
        Assert.AreEqual(data.Features.Max(x => Math.Abs(x[6])), statistics.FeatureMaxDeviation![6], 1e-6);
        Assert.IsLessThan(0.5, statistics.FeatureSpread![5], "root-mean-square scaling would multiply the rare category by over 2");

        // One-hot only: scaling on and off train bit-identical models, the factors being exactly 1.
        AssertScalingOnAndOffTrainTheSameBits(OneHot(random, rows: 300, withNumeric: false));
    }

    [TestMethod]
    public void SparseStatistics_WithoutTheSpread_HaveTheSameLargestMagnitudes()
    {
        TestRows data = OneHot(new Random(5), rows: 300, withNumeric: true);
        data.Weights[7] = 0; // a row of weight 0 counts toward neither
        data.Features[7][6] = 1000;
        DataStatistics both = DataStatistics.Compute(data.Rows(sparse: true), measureFeatures: true, classCount: 0, sparseSpread: true);
        DataStatistics largestOnly = DataStatistics.Compute(data.Rows(sparse: true), measureFeatures: true, classCount: 0);

        CollectionAssert.AreEqual(both.FeatureMaxDeviation, largestOnly.FeatureMaxDeviation);
        Assert.IsLessThan(1000, largestOnly.FeatureMaxDeviation![6]);
        Assert.IsNull(largestOnly.FeatureSpread);
        Assert.IsTrue(new DataStatistics.Request(MeasureFeatures: true, ClassCount: 0).IsMetBy(largestOnly));
        Assert.IsFalse(new DataStatistics.Request(MeasureFeatures: true, ClassCount: 0, SparseSpread: true).IsMetBy(largestOnly), "the root-mean-square scaling needs the spread");
    }

    /// <summary>Sparse rows whose every scaling factor is exactly 1: training with scaling on and off gives the same bits.</summary>
    private static void AssertScalingOnAndOffTrainTheSameBits(TestRows data)
    {
        var settings = new LinearTrainerSettings { Epochs = 3, BatchSize = 16, Seed = 4 };
        LinearModelWeights scaled = Trainer(LinearModelLoss.Logistic, 0, settings).Train(data.Rows(sparse: true)).Model;
        LinearModelWeights unscaled = Trainer(LinearModelLoss.Logistic, 0, settings with { ScaleFeatures = false }).Train(data.Rows(sparse: true)).Model;
        CollectionAssert.AreEqual(unscaled.Weights, scaled.Weights);
        CollectionAssert.AreEqual(unscaled.Biases, scaled.Biases);
    }

    [TestMethod]
    public void FeaturesNeverPresent_KeepTheirStartingWeightsBitForBit()
    {
        // Features 8..11 are in no row. With weight decay a dense step would shrink them; the lazy step never visits them.
        TestRows text = Text(5, rows: 400, features: 12, classes: 3, vocabulary: 8);
        var random = new Random(6);
        var initial = new LinearModelWeights(
            Enumerable.Range(0, 3 * 12).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray(), [0.1f, -0.2f, 0.3f]);
        var trainer = new LinearModelTrainer(
            LinearLosses.Create(LinearModelLoss.SoftmaxCrossEntropy, 3),
            new LinearTrainerSettings { Epochs = 3, BatchSize = 16 },
            new AdaBeliefOptions { LearningRate = 0.05, WeightDecay = 0.1 });

        LinearModelWeights model = trainer.Train(text.Rows(sparse: true), initial: initial).Model;
        for (int k = 0; k < 3; k++)
        {
            for (int j = 0; j < 12; j++)
            {
                int p = (k * 12) + j;
                if (j >= 8)
                    Assert.AreEqual(initial.Weights[p], model.Weights[p], $"class {k}, absent feature {j}");
                else
                    Assert.AreNotEqual(initial.Weights[p], model.Weights[p], $"class {k}, present feature {j}");
            }
        }
    }

    [TestMethod]
    public void SparseMulticlassOnText_Fits()
    {
        TestRows train = Text(7, rows: 3000, features: 300, classes: 4, vocabulary: 300);
        TestRows test = Text(8, rows: 1000, features: 300, classes: 4, vocabulary: 300);
        var settings = new LinearTrainerSettings { Epochs = 8, BatchSize = 32, Seed = 1 };
        LinearModelWeights sparse = Trainer(LinearModelLoss.SoftmaxCrossEntropy, 4, settings).Train(train.Rows(sparse: true)).Model;
        LinearModelWeights dense = Trainer(LinearModelLoss.SoftmaxCrossEntropy, 4, settings).Train(train.Rows(sparse: false)).Model;

        double Accuracy(LinearModelWeights model)
        {
            int correct = 0;
            for (int i = 0; i < test.Count; i++)
            {
                double[] scores = TrainingTestData.Scores(model, test.Features[i]);
                correct += Array.IndexOf(scores, scores.Max()) == (int)test.Labels[i] ? 1 : 0;
            }

            return correct / (double)test.Count;
        }

        // Chance is 0.25; the same rows trained through the dense path (standardized, every weight stepped) set the bar.
        double accuracy = Accuracy(sparse), denseAccuracy = Accuracy(dense);
        Assert.IsGreaterThan(0.75, accuracy, "held-out accuracy");
        Assert.IsGreaterThan(denseAccuracy - 0.01, accuracy, $"held-out accuracy against the dense path's {denseAccuracy}");
    }

    [TestMethod]
    [DataRow("Logistic", 0)]
    [DataRow("SoftmaxCrossEntropy", 3)]
    public void Sparse_SameSeedSameBits_StreamedEqualsInMemory(string lossName, int classes)
    {
        LinearModelLoss loss = Enum.Parse<LinearModelLoss>(lossName);
        TestRows data = Labelled(Text(9, rows: 500, features: 40, classes: 3, vocabulary: 40), loss, classes);
        var settings = new LinearTrainerSettings { Epochs = 3, BatchSize = 16, ShuffleBlockSize = 128, Seed = 2 };
        LinearModelTrainer trainer = Trainer(loss, classes, settings);

        LinearModelWeights first = trainer.Train(data.Rows(sparse: true)).Model;
        LinearModelWeights again = trainer.Train(data.Rows(sparse: true)).Model;
        LinearModelWeights streamed = trainer.Train(new BlockOrderTests.StreamingRows(data, sparse: true)).Model;
        LinearModelWeights otherSeed = Trainer(loss, classes, settings with { Seed = 3 }).Train(data.Rows(sparse: true)).Model;

        CollectionAssert.AreEqual(first.Weights, again.Weights);
        CollectionAssert.AreEqual(first.Biases, again.Biases);
        CollectionAssert.AreEqual(first.Weights, streamed.Weights);
        CollectionAssert.AreEqual(first.Biases, streamed.Biases);
        CollectionAssert.AreNotEqual(first.Weights, otherSeed.Weights);
    }

    [TestMethod]
    public void EmptyRows_TrainTheBiasOnly()
    {
        // Rows without a nonzero still count: with no feature ever present, only the bias learns (the log-odds of 3/4).
        var store = new RowStore(5, sparse: true);
        for (int i = 0; i < 200; i++)
            store.AddSparseRow([], [], 5, label: i % 4 == 0 ? 0f : 1f);
        var settings = new LinearTrainerSettings { Epochs = 30, BatchSize = 20, BiasInitialization = BiasInitialization.Zero };
        LinearModelWeights model = Trainer(LinearModelLoss.Logistic, 0, settings).Train(new InMemoryTrainingRows(store)).Model;

        Assert.IsTrue(model.Weights.All(w => w == 0f));
        Assert.AreEqual(Math.Log(3), model.Bias, 0.05);
    }

    private static LinearModelTrainer Trainer(LinearModelLoss loss, int classes, LinearTrainerSettings settings) =>
        new(LinearLosses.Create(loss, classes), settings, new AdaBeliefOptions { LearningRate = 0.05 });

    /// <summary>The rows with labels for the loss: a linear score, its sign, or the class of the largest of three scores.</summary>
    private static TestRows Labelled(TestRows rows, LinearModelLoss loss, int classes)
    {
        float Score(float[] x, int c) => x.Select((v, j) => v * (((j + c) % 3) - 1f)).Sum();
        float[] labels = rows.Features.Select(x => loss switch
        {
            LinearModelLoss.Squared => Score(x, 0) + 2f,
            LinearModelLoss.Logistic => Score(x, 0) > 0 ? 1f : 0f,
            _ => Enumerable.Range(0, classes).MaxBy(c => Score(x, c)),
        }).ToArray();
        return rows with { Labels = labels };
    }

    /// <summary>
    /// Text-like rows: 3-8 tokens from the first <paramref name="vocabulary"/> features, drawn with falling frequency,
    /// L2-normalized counts; each class favours its own tokens.
    /// </summary>
    private static TestRows Text(int seed, int rows, int features, int classes, int vocabulary)
    {
        var random = new Random(seed);
        var x = new float[rows][];
        var y = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            int label = random.Next(classes);
            x[i] = new float[features];
            int tokens = random.Next(3, 9);
            for (int t = 0; t < tokens; t++)
            {
                int token = (int)(vocabulary * Math.Pow(random.NextDouble(), 2));
                if (random.NextDouble() < 0.5)
                    token = (token - (token % classes) + label) % vocabulary; // a token of the row's class
                x[i][token] += 1f;
            }

            float norm = MathF.Sqrt(x[i].Sum(v => v * v));
            for (int j = 0; j < features; j++)
                x[i][j] /= norm;
            y[i] = label;
        }

        return new TestRows(x, y, Enumerable.Repeat(1f, rows).ToArray());
    }

    /// <summary>Two one-hot groups of three (the third category of the second group rare), and optionally a numeric column up to 50.</summary>
    private static TestRows OneHot(Random random, int rows, bool withNumeric)
    {
        int features = withNumeric ? 7 : 6;
        var x = new float[rows][];
        var y = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            x[i] = new float[features];
            int a = random.Next(3);
            int b = random.NextDouble() < 0.05 ? 2 : random.Next(2);
            x[i][a] = 1f;
            x[i][3 + b] = 1f;
            if (withNumeric)
                x[i][6] = (float)(random.NextDouble() * 50);
            y[i] = (a == 0) ^ (b == 2) ? 1f : 0f;
        }

        return new TestRows(x, y, Enumerable.Repeat(1f, rows).ToArray());
    }

    private static void AssertClose(float[] expected, float[] actual, float tolerance)
    {
        Assert.HasCount(expected.Length, actual);
        for (int i = 0; i < expected.Length; i++)
            Assert.AreEqual(expected[i], actual[i], tolerance * Math.Max(1f, Math.Abs(expected[i])), $"element {i}");
    }
}
