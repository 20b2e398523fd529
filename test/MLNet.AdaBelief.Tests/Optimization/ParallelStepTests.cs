namespace MLNet.AdaBelief.Tests.Optimization;

/// <summary>Large tensors are updated on several cores; the result must be bit-for-bit that of one core.</summary>
[TestClass]
public sealed class ParallelStepTests
{
    [TestMethod]
    public void ParallelUpdate_IsBitIdenticalToSingleCore_ForEveryOptionCombination()
    {
        foreach (AdaBeliefOptions options in OptionCombinations.All().Where((_, i) => i % 5 == 0))
        {
            foreach (int n in new[] { 33, 1_000, 4_099 })
            {
                var random = new Random(n);
                float[] start = KernelAgreementTests.RandomArray(random, n, 1f);
                float[][] gradients = Enumerable.Range(0, 4).Select(_ => KernelAgreementTests.RandomGradient(random, n)).ToArray();

                (float[] single, AdaBeliefState singleState) = Run(options, start, gradients, threshold: int.MaxValue);
                (float[] parallel, AdaBeliefState parallelState) = Run(options, start, gradients, threshold: 16);

                CollectionAssert.AreEqual(single, parallel, $"n={n} {OptionCombinations.Describe(options)}");
                CollectionAssert.AreEqual(singleState.FirstMoment.ToArray(), parallelState.FirstMoment.ToArray());
                CollectionAssert.AreEqual(singleState.SecondMoment.ToArray(), parallelState.SecondMoment.ToArray());
                if (options.Amsgrad)
                    CollectionAssert.AreEqual(singleState.MaxSecondMoment!.Value.ToArray(), parallelState.MaxSecondMoment!.Value.ToArray());
            }
        }
    }

    [TestMethod]
    public void ParallelUpdate_ReportsNonFiniteGradientInAnyRange()
    {
        const int n = 10_000;
        foreach (int bad in new[] { 3, n / 2 + 1, n - 1 })
        {
            var optimizer = new AdaBeliefOptimizer(n) { ParallelThreshold = 16 };
            var p = new float[n];
            var g = Enumerable.Repeat(0.5f, n).ToArray();
            g[bad] = float.NaN;

            var e = Assert.ThrowsExactly<NonFiniteGradientException>(() => optimizer.Step(p, g));
            Assert.AreEqual(bad, e.ElementIndex);
            Assert.AreEqual(0f, p[bad]);
            Assert.IsTrue(p.All(float.IsFinite));
        }
    }

    private static (float[] Parameters, AdaBeliefState State) Run(AdaBeliefOptions options, float[] start, float[][] gradients, int threshold)
    {
        float[] p = (float[])start.Clone();
        var optimizer = new AdaBeliefOptimizer(p.Length, options) { ParallelThreshold = threshold };
        foreach (float[] g in gradients)
            optimizer.Step(p, g);
        return (p, optimizer.ExportState());
    }
}
