using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;

namespace MLNet.AdaBelief.Benchmarks;

/// <summary>
/// The optimizer's lazy step as the trainers take it on text: a tensor of 2¹⁷ rows (features) of
/// <see cref="RowLength"/> weights (1 for a binary model, 22 for the GitHub issues' classes), and per step the distinct
/// features of a mini-batch of 64 rows of 40 tokens drawn from a Zipf(1) distribution (about 1,400 rows a step, in the
/// order they first appear, scattered over the tensor by a fixed permutation as hashing scatters them), each row
/// bias-corrected by its own step count (<see cref="SparseStepCount.PerRow"/>). One invocation is
/// <see cref="StepsPerInvocation"/> steps; the setup prints how many rows they update. The optimizer starts over every
/// <see cref="RunSteps"/> steps, the length of a fit on 300,000 rows, so the per-count correction table stays the size
/// such a fit has (it grows with the step count up to about 37,000 entries).
/// </summary>
[SimpleJob(warmupCount: 5, iterationCount: 15)]
[HideColumns("Error", "StdDev")]
[Config(typeof(MedianConfig))]
public class SparseStepBenchmarks
{
    /// <summary>Steps per invocation, each with its own batch of present rows.</summary>
    public const int StepsPerInvocation = 64;

    /// <summary>Steps after which the optimizer is reset: a run of one epoch of 300,000 rows at batch 64.</summary>
    public const int RunSteps = 4_688;

    private const int TensorRows = 1 << 17;
    private const int BatchRows = 64;
    private const int TokensPerRow = 40;
    private const int Seed = 20261202;

    private AdaBeliefOptimizer _optimizer = null!;
    private float[] _parameters = [];
    private int[][] _present = [];
    private float[][] _gradients = [];

    /// <summary>Weights per row: 1 (binary) or 22 (multiclass, the GitHub issues' classes).</summary>
    [Params(1, 22)]
    public int RowLength { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(Seed);
        int[] featureOf = [.. Enumerable.Range(0, TensorRows)];
        random.Shuffle(featureOf);
        double[] cumulative = new double[TensorRows];
        double total = 0;
        for (int rank = 0; rank < TensorRows; rank++)
            cumulative[rank] = total += 1.0 / (rank + 1);

        _present = new int[StepsPerInvocation][];
        _gradients = new float[StepsPerInvocation][];
        var seen = new HashSet<int>();
        var present = new List<int>();
        long updatedRows = 0;
        for (int step = 0; step < StepsPerInvocation; step++)
        {
            seen.Clear();
            present.Clear();
            for (int token = 0; token < BatchRows * TokensPerRow; token++)
            {
                int rank = Array.BinarySearch(cumulative, random.NextDouble() * total);
                int feature = featureOf[Math.Min(rank < 0 ? ~rank : rank, TensorRows - 1)];
                if (seen.Add(feature))
                    present.Add(feature);
            }

            _present[step] = [.. present];
            _gradients[step] = [.. Enumerable.Range(0, present.Count * RowLength).Select(_ => (float)((random.NextDouble() - 0.5) * 0.02))];
            updatedRows += present.Count;
        }

        _parameters = new float[TensorRows * RowLength];
        _optimizer = new AdaBeliefOptimizer(_parameters.Length, new AdaBeliefOptions
        {
            LearningRate = new FixedLearningRate(0.05),
            Epsilon = 1e-8,
            SparseStepCount = SparseStepCount.PerRow,
        });
        Console.WriteLine($"// {updatedRows} rows of {RowLength} updated per invocation ({(double)updatedRows / StepsPerInvocation:F0} a step)");
    }

    [Benchmark]
    public void LazySteps()
    {
        if (_optimizer.StepCount >= RunSteps)
            _optimizer.Reset();
        for (int step = 0; step < StepsPerInvocation; step++)
            _optimizer.StepSparse(_parameters, RowLength, _present[step], _gradients[step]);
    }

    private sealed class MedianConfig : BenchmarkDotNet.Configs.ManualConfig
    {
        public MedianConfig() => AddColumn(StatisticColumn.Median);
    }
}
