using System.Diagnostics;
using System.Globalization;

namespace MLNet.AdaBelief.Benchmarks;

/// <summary>
/// <c>-- quick SparseSplit [--runs N]</c>: the optimizer's lazy step on one core and cut into chunks on two
/// (<see cref="AdaBeliefOptimizer.SparseParallelThreshold"/>), alternated N times, on a tensor of GitHub issues' shape
/// (155,000 features of 22 classes) with 1,500 to 18,000 distinct present features a step (a fold's batches hold
/// about 18,000), per-row step counts: the fastest and the median step of each.
/// </summary>
internal static class ChunkedSparseStepTiming
{
    private const int Features = 155_000, Classes = 22, Steps = 64;

    public static void Run(int runs)
    {
        foreach (int present in new[] { 1_500, 3_000, 6_000, 18_000 })
        {
            var random = new Random(present);
            int[][] rows = new int[Steps][];
            float[][] gradients = new float[Steps][];
            int[] all = [.. Enumerable.Range(0, Features)];
            for (int step = 0; step < Steps; step++)
            {
                random.Shuffle(all);
                rows[step] = all[..present];
                gradients[step] = [.. Enumerable.Range(0, present * Classes).Select(_ => (float)((random.NextDouble() - 0.5) * 0.02))];
            }

            float[] weights = new float[Features * Classes], biases = new float[Classes], biasGradient = new float[Classes];
            var optimizer = new AdaBeliefOptimizer(
                new[] { weights.Length, Classes },
                new AdaBeliefOptions { LearningRate = new FixedLearningRate(0.05), Epsilon = 1e-8, SparseStepCount = SparseStepCount.PerRow });
            for (int round = 0; round < runs; round++)
            {
                foreach ((string name, long threshold) in new[] { ("one core", long.MaxValue), ("two cores", 0L) })
                {
                    optimizer.SparseParallelThreshold = threshold;
                    var milliseconds = new List<double>();
                    for (int repeat = 0; repeat < 4; repeat++)
                    {
                        for (int step = 0; step < Steps; step++)
                        {
                            long start = Stopwatch.GetTimestamp();
                            optimizer.StepSparseDistinctRows(weights, Classes, rows[step], gradients[step], biases, biasGradient);
                            milliseconds.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                        }
                    }

                    milliseconds.Sort();
                    Console.WriteLine(string.Create(
                        CultureInfo.InvariantCulture,
                        $"{present} features of {Classes}, {name}: fastest {milliseconds[0]:F3} ms, median {milliseconds[milliseconds.Count / 2]:F3} ms a step"));
                }
            }
        }
    }
}
