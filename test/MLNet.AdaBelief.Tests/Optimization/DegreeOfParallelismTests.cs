namespace MLNet.AdaBelief.Tests.Optimization;

/// <summary>MaxDegreeOfParallelism limits the cores of one step and never changes its result.</summary>
[TestClass]
public sealed class DegreeOfParallelismTests
{
    [TestMethod]
    public void EverySetting_GivesTheSameBits()
    {
        const int n = 50_003;
        var random = new Random(3);
        float[] start = KernelAgreementTests.RandomArray(random, n, 1f);
        float[][] gradients = Enumerable.Range(0, 5).Select(_ => KernelAgreementTests.RandomGradient(random, n)).ToArray();

        float[] Run(int degree)
        {
            float[] p = (float[])start.Clone();
            var options = new AdaBeliefOptions { LearningRate = 0.01, WeightDecay = 0.1, MaxDegreeOfParallelism = degree };
            var optimizer = new AdaBeliefOptimizer(n, options) { ParallelThreshold = 16 };
            foreach (float[] g in gradients)
                optimizer.Step(p, g);
            return p;
        }

        float[] oneCore = Run(1);
        CollectionAssert.AreEqual(oneCore, Run(2));
        CollectionAssert.AreEqual(oneCore, Run(3));
        CollectionAssert.AreEqual(oneCore, Run(-1));
    }

    [TestMethod]
    [DataRow(1, 1)]
    [DataRow(-1, -1)]
    [DataRow(1000, -1)]
    public void Workers_AreTheSettingCappedByTheCores(int degree, int expected)
    {
        var optimizer = new AdaBeliefOptimizer(4, new AdaBeliefOptions { MaxDegreeOfParallelism = degree });

        Assert.AreEqual(expected == -1 ? Environment.ProcessorCount : expected, optimizer.Workers);
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(-2)]
    public void InvalidSetting_IsRejectedWithItsName(int degree)
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new AdaBeliefOptimizer(4, new AdaBeliefOptions { MaxDegreeOfParallelism = degree }));

        Assert.AreEqual(nameof(AdaBeliefOptions.MaxDegreeOfParallelism), e.ParamName);
    }
}
