using Microsoft.ML;
using static MLNet.AdaBelief.Tests.Trainers.Behavior.BehaviorData;

namespace MLNet.AdaBelief.Tests.Trainers.Behavior;

/// <summary>The row order, and so the model, follows the MLContext's seed unless the Seed option fixes it.</summary>
[TestClass]
public sealed class SeedTests
{
    private static readonly RegressionRow[] Rows = Regression(300, seed: 14, noise: 0.5f);

    [TestMethod]
    public void SameContextSeed_FreshContexts_GiveBitIdenticalModels()
    {
        var (w1, b1) = Fit(contextSeed: 42, optionSeed: null);
        var (w2, b2) = Fit(contextSeed: 42, optionSeed: null);

        CollectionAssert.AreEqual(w1, w2);
        Assert.AreEqual(b1, b2);
    }

    [TestMethod]
    public void DifferentContextSeeds_GiveDifferentModels()
    {
        var (w1, b1) = Fit(contextSeed: 42, optionSeed: null);
        var (w2, b2) = Fit(contextSeed: 43, optionSeed: null);

        Assert.IsTrue(!w1.SequenceEqual(w2) || b1 != b2, "a different shuffle must give different weights");
    }

    [TestMethod]
    public void SeedOption_OverridesTheContextSeed()
    {
        var (w1, b1) = Fit(contextSeed: 42, optionSeed: 7);
        var (w2, b2) = Fit(contextSeed: 43, optionSeed: 7);
        var (w3, _) = Fit(contextSeed: 42, optionSeed: 8);

        CollectionAssert.AreEqual(w1, w2);
        Assert.AreEqual(b1, b2);
        CollectionAssert.AreNotEqual(w1, w3, "the Seed option itself must matter");
    }

    [TestMethod]
    public void WithoutShuffling_ContextSeedDoesNotMatter()
    {
        var (w1, b1) = Fit(contextSeed: 42, optionSeed: null, shuffle: false);
        var (w2, b2) = Fit(contextSeed: 43, optionSeed: null, shuffle: false);

        CollectionAssert.AreEqual(w1, w2);
        Assert.AreEqual(b1, b2);
    }

    private static (float[] Weights, float Bias) Fit(int contextSeed, int? optionSeed, bool shuffle = true)
    {
        var ml = new MLContext(seed: contextSeed);
        var model = ml.Regression.Trainers.AdaBelief(new AdaBeliefRegressionTrainer.Options
        {
            NumberOfEpochs = 3,
            BatchSize = 16,
            Seed = optionSeed,
            Shuffle = shuffle,
        }).Fit(ml.Data.LoadFromEnumerable(Rows));
        return (Weights(model), model.Model.Bias);
    }
}
