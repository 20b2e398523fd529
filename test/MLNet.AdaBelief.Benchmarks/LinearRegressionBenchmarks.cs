using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace MLNet.AdaBelief.Benchmarks;

/// <summary>
/// Linear regression on 1,000,000 rows x 100 dense features from a cached IDataView, y = Xw + 0.5 + N(0, 0.1²):
/// the AdaBelief trainer against SDCA and OnlineGradientDescent, each <c>Fit</c> timed, and a hand-written
/// mini-batch AdaBelief loop over a dense float[] as the practical one-core limit of an epoch.
/// </summary>
/// <remarks>
/// The test R² of each method's last model, and for AdaBelief the median rows per second of its epochs over every
/// Fit of the run (from <see cref="AdaBeliefRegressionTrainer.TrainingHistory"/>), are printed to the console in the
/// method's [GlobalCleanup] (lines starting with "// RESULT").
/// </remarks>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 15)]
[Config(typeof(Config))]
[HideColumns("Error", "StdDev", "RatioSD")]
public class LinearRegressionBenchmarks
{
    public const int TrainRows = 1_000_000;
    public const int TestRows = 200_000;
    public const int FeatureCount = 100;
    private const int Seed = 20240611;

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(StatisticColumn.Median);
    }

    public sealed class Row
    {
        [VectorType(FeatureCount)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }

    internal MLContext MLContext => _mlContext;

    internal IDataView Train => _train;

    private MLContext _mlContext = null!;
    private IDataView _train = null!;
    private IDataView _test = null!;
    private float[] _denseX = [];
    private float[] _denseY = [];
    private RegressionPredictionTransformer<LinearRegressionModelParameters>? _last;
    private readonly List<double> _handWrittenSeconds = [];
    private readonly List<double> _firstEpochSeconds = [];
    private readonly List<double> _laterEpochSeconds = [];
    private float[] _handWrittenModel = [];

    [GlobalSetup]
    public void Setup()
    {
        _mlContext = new MLContext(seed: 1);
        var random = new Random(Seed);
        float[] trueWeights = new float[FeatureCount];
        for (int j = 0; j < FeatureCount; j++)
            trueWeights[j] = (float)(random.NextDouble() * 1.1 - 0.55);

        Row[] train = Generate(random, trueWeights, TrainRows);
        Row[] test = Generate(random, trueWeights, TestRows);
        _denseX = new float[TrainRows * FeatureCount];
        _denseY = new float[TrainRows];
        for (int i = 0; i < TrainRows; i++)
        {
            train[i].Features.CopyTo(_denseX, i * FeatureCount);
            _denseY[i] = train[i].Label;
        }

        _train = _mlContext.Data.Cache(_mlContext.Data.LoadFromEnumerable(train));
        _test = _mlContext.Data.Cache(_mlContext.Data.LoadFromEnumerable(test));
        Touch(_train);
        Touch(_test);
    }

    [Benchmark]
    public ITransformer AdaBelief()
    {
        AdaBeliefRegressionTrainer trainer = _mlContext.Regression.Trainers.AdaBelief();
        _last = trainer.Fit(_train);
        RecordEpochs(trainer);
        return _last;
    }

    [Benchmark]
    public ITransformer AdaBeliefBatch256Epochs5()
    {
        AdaBeliefRegressionTrainer trainer = _mlContext.Regression.Trainers.AdaBelief(batchSize: 256, numberOfEpochs: 5);
        _last = trainer.Fit(_train);
        RecordEpochs(trainer);
        return _last;
    }

    [Benchmark(Baseline = true)]
    public ITransformer Sdca()
    {
        return _last = _mlContext.Regression.Trainers.Sdca().Fit(_train);
    }

    [Benchmark]
    public ITransformer OnlineGradientDescent()
    {
        return _last = _mlContext.Regression.Trainers.OnlineGradientDescent(learningRate: 0.1f, numberOfIterations: 1).Fit(_train);
    }

    /// <summary>5 epochs of batch 256 over the dense array, in stored order, one thread: the limit of an epoch.</summary>
    [Benchmark]
    public float[] HandWrittenLoop()
    {
        var clock = Stopwatch.StartNew();
        _handWrittenModel = HandWritten(_denseX, _denseY, epochs: 5, batchSize: 256, learningRate: 0.01);
        _handWrittenSeconds.Add(clock.Elapsed.TotalSeconds);
        return _handWrittenModel;
    }

    [GlobalCleanup(Targets = [nameof(AdaBelief), nameof(AdaBeliefBatch256Epochs5), nameof(Sdca), nameof(OnlineGradientDescent)])]
    public void ReportModel()
    {
        if (_last is null)
            return;
        RegressionMetrics metrics = _mlContext.Regression.Evaluate(_last.Transform(_test));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// RESULT test R^2 = {metrics.RSquared:F4}, RMSE = {metrics.RootMeanSquaredError:F4}"));
        if (_firstEpochSeconds.Count > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"// RESULT first epochs of {_firstEpochSeconds.Count} Fits: median {Rate(_firstEpochSeconds)} rows/s"));
        }

        if (_laterEpochSeconds.Count > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"// RESULT later epochs ({_laterEpochSeconds.Count} over all Fits): median {Rate(_laterEpochSeconds)} rows/s, slowest {TrainRows / _laterEpochSeconds.Max() / 1e6:F1} M, fastest {TrainRows / _laterEpochSeconds.Min() / 1e6:F1} M"));
        }
    }

    /// <summary>Keeps the epoch times of every Fit (warm-up ones included), so the rates reported are not one Fit's.</summary>
    private void RecordEpochs(AdaBeliefRegressionTrainer trainer)
    {
        TimeSpan previous = TimeSpan.Zero;
        foreach (TrainingProgress p in trainer.TrainingHistory)
        {
            (p.Epoch == 1 ? _firstEpochSeconds : _laterEpochSeconds).Add((p.Elapsed - previous).TotalSeconds);
            previous = p.Elapsed;
        }
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static string Rate(List<double> seconds) =>
        string.Create(CultureInfo.InvariantCulture, $"{TrainRows / Median(seconds) / 1e6:F1} M");

    [GlobalCleanup(Target = nameof(HandWrittenLoop))]
    public void ReportHandWritten()
    {
        float[] w = _handWrittenModel;
        double sse = 0, sum = 0, sumSquares = 0;
        using var cursor = _test.GetRowCursor(_test.Schema);
        var features = cursor.GetGetter<VBuffer<float>>(_test.Schema["Features"]);
        var label = cursor.GetGetter<float>(_test.Schema["Label"]);
        VBuffer<float> x = default;
        float y = 0;
        long n = 0;
        while (cursor.MoveNext())
        {
            features(ref x);
            label(ref y);
            double residual = TensorPrimitives.Dot(x.GetValues(), w.AsSpan(0, FeatureCount)) + w[FeatureCount] - y;
            sse += residual * residual;
            sum += y;
            sumSquares += (double)y * y;
            n++;
        }

        double total = sumSquares - sum * sum / n;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// RESULT hand-written loop: test R^2 = {1 - sse / total:F4}, {_handWrittenSeconds.Count} runs, median {Median(_handWrittenSeconds):F4} s, {5.0 * TrainRows / Median(_handWrittenSeconds) / 1e6:F1} M rows/s per epoch"));
    }

    /// <summary>Mini-batch AdaBelief (constant rate) on raw features: residuals by Dot, gradient by MultiplyAdd.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float[] HandWritten(float[] x, float[] y, int epochs, int batchSize, double learningRate)
    {
        int rows = y.Length;
        float[] parameters = new float[FeatureCount + 1];
        float[] gradient = new float[FeatureCount + 1];
        var optimizer = new AdaBeliefOptimizer(FeatureCount + 1, new AdaBeliefOptions { LearningRate = new FixedLearningRate(learningRate) });
        Span<float> w = parameters.AsSpan(0, FeatureCount);
        Span<float> g = gradient.AsSpan(0, FeatureCount);
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            for (int start = 0; start < rows; start += batchSize)
            {
                int end = Math.Min(rows, start + batchSize);
                float scale = 1f / (end - start);
                gradient.AsSpan().Clear();
                float bias = parameters[FeatureCount];
                float biasGradient = 0;
                for (int i = start; i < end; i++)
                {
                    ReadOnlySpan<float> row = x.AsSpan(i * FeatureCount, FeatureCount);
                    float residual = (TensorPrimitives.Dot(row, w) + bias - y[i]) * scale;
                    TensorPrimitives.MultiplyAdd(row, residual, g, g);
                    biasGradient += residual;
                }

                gradient[FeatureCount] = biasGradient;
                optimizer.Step(parameters, gradient);
            }
        }

        return parameters;
    }

    private static Row[] Generate(Random random, float[] trueWeights, int rows)
    {
        var result = new Row[rows];
        for (int i = 0; i < rows; i++)
        {
            float[] x = new float[FeatureCount];
            double y = 0.5;
            for (int j = 0; j < FeatureCount; j++)
            {
                x[j] = (float)random.NextDouble();
                y += x[j] * trueWeights[j];
            }

            result[i] = new Row { Features = x, Label = (float)(y + 0.1 * Gaussian(random)) };
        }

        return result;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static void Touch(IDataView data)
    {
        using var cursor = data.GetRowCursor(data.Schema);
        var features = cursor.GetGetter<VBuffer<float>>(data.Schema["Features"]);
        VBuffer<float> x = default;
        while (cursor.MoveNext())
            features(ref x);
    }
}
