namespace MLNet.AdaBelief.Tests.Optimization;

/// <summary>A tensor masked out of weight decay steps exactly as without decay; the others are decayed as usual.</summary>
[TestClass]
public sealed class WeightDecayMaskTests
{
    private static readonly int[] WeightsAndBias = [3, 1];
    private static readonly int[] OneAndOne = [1, 1];
    private static readonly bool[] DecayWeightsOnly = [true, false];

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void ExemptTensor_StepsAsWithoutDecay_OtherTensorAsWithDecay(bool decoupled)
    {
        var decay = new AdaBeliefOptions { LearningRate = 0.05, WeightDecay = 0.3, DecoupledWeightDecay = decoupled };
        var none = new AdaBeliefOptions { LearningRate = 0.05 };
        var random = new Random(5);
        float[] w0 = KernelAgreementTests.RandomArray(random, 37, 2f), b0 = [4f];

        float[] w = (float[])w0.Clone(), b = (float[])b0.Clone();
        var exempt = new AdaBeliefOptimizer(new[] { w.Length, 1 }, decay) { WeightDecayMask = [true, false] };
        float[] wDecayed = (float[])w0.Clone(), bDecayed = (float[])b0.Clone();
        var allDecayed = new AdaBeliefOptimizer(new[] { w.Length, 1 }, decay);
        float[] wPlain = (float[])w0.Clone(), bPlain = (float[])b0.Clone();
        var plain = new AdaBeliefOptimizer(new[] { w.Length, 1 }, none);

        for (int step = 0; step < 20; step++)
        {
            float[] gw = KernelAgreementTests.RandomArray(random, w.Length, 1f);
            float[] gb = [(float)(random.NextDouble() - 0.5)];
            exempt.Step(w, gw, b, gb);
            allDecayed.Step(wDecayed, gw, bDecayed, gb);
            plain.Step(wPlain, gw, bPlain, gb);
        }

        CollectionAssert.AreEqual(wDecayed, w, "the weights are decayed as usual");
        CollectionAssert.AreEqual(bPlain, b, "the bias steps as without decay");
        Assert.AreNotEqual(bDecayed[0], b[0], "decay would have moved the bias");
    }

    [TestMethod]
    public void Mask_WithTheWrongNumberOfFlags_ThrowsNamingIt()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => new AdaBeliefOptimizer(WeightsAndBias) { WeightDecayMask = [true] });

        Assert.AreEqual("WeightDecayMask", e.ParamName);
        Assert.Contains("2 tensor(s)", e.Message);
    }

    [TestMethod]
    public void Mask_IsCopied_SoChangingTheCallersListChangesNothing()
    {
        bool[] mask = [true, false];
        var optimizer = new AdaBeliefOptimizer(WeightsAndBias) { WeightDecayMask = mask };
        mask[1] = true;

        CollectionAssert.AreEqual(DecayWeightsOnly, optimizer.WeightDecayMask!.ToArray());
    }

    [TestMethod]
    public void NoMask_DecaysEveryTensor()
    {
        var options = new AdaBeliefOptions { LearningRate = 0.1, WeightDecay = 0.5, DecoupledWeightDecay = true };
        float[] w = [1f], b = [1f];
        var optimizer = new AdaBeliefOptimizer(OneAndOne, options);
        Assert.IsNull(optimizer.WeightDecayMask);

        optimizer.Step(w, [0f], b, [0f]);

        Assert.AreEqual(w[0], b[0], "both tensors take the same decayed step");
        Assert.IsLessThan(1f, b[0]);
    }
}
