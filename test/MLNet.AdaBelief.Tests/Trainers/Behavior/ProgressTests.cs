using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using static MLNet.AdaBelief.Tests.Trainers.Behavior.BehaviorData;

namespace MLNet.AdaBelief.Tests.Trainers.Behavior;

/// <summary>One progress record per epoch, to the callback, to TrainingHistory and as an Info line to the MLContext log.</summary>
[TestClass]
public sealed class ProgressTests
{
    [TestMethod]
    public void ProgressCallback_GetsOneRecordPerEpoch_SameAsTrainingHistory_AndTheLog()
    {
        var ml = new MLContext(seed: 1);
        var log = new LogRecorder(ml);
        var received = new List<TrainingProgress>();
        var trainer = ml.Regression.Trainers.AdaBelief(new AdaBeliefRegressionTrainer.Options
        {
            NumberOfEpochs = 6,
            BatchSize = 32,
            ProgressCallback = received.Add,
        });

        trainer.Fit(ml.Data.LoadFromEnumerable(Regression(300, seed: 21)), ml.Data.LoadFromEnumerable(Regression(50, seed: 22)));

        CollectionAssert.AreEqual(Enumerable.Range(1, 6).ToArray(), received.Select(p => p.Epoch).ToArray());
        CollectionAssert.AreEqual(trainer.TrainingHistory.ToArray(), received.ToArray());
        for (int i = 0; i < received.Count; i++)
        {
            TrainingProgress p = received[i];
            Assert.IsTrue(double.IsFinite(p.TrainingLoss) && p.TrainingLoss >= 0, $"epoch {p.Epoch} training loss {p.TrainingLoss}");
            Assert.IsTrue(p.ValidationLoss is { } v && double.IsFinite(v), $"epoch {p.Epoch} validation loss {p.ValidationLoss}");
            Assert.IsGreaterThan(0.0, p.LearningRate, $"epoch {p.Epoch}");
            if (i > 0)
                Assert.IsGreaterThan(received[i - 1].Elapsed, p.Elapsed, $"epoch {p.Epoch}");
        }

        string[] epochLines = log.Of(ChannelMessageKind.Info).Where(m => m.StartsWith("Epoch ", StringComparison.Ordinal)).ToArray();
        Assert.HasCount(6, epochLines);
        for (int i = 0; i < epochLines.Length; i++)
        {
            TrainingProgress p = received[i];
            Assert.StartsWith(string.Create(CultureInfo.InvariantCulture, $"Epoch {p.Epoch}: training loss {p.TrainingLoss:G6}, validation loss {p.ValidationLoss:G6}"), epochLines[i]);
        }
    }

    [TestMethod]
    public void EachFit_ReplacesTheHistory()
    {
        var ml = new MLContext(seed: 1);
        var trainer = ml.Regression.Trainers.AdaBelief(numberOfEpochs: 3);
        IDataView data = ml.Data.LoadFromEnumerable(Regression(100, seed: 23));

        trainer.Fit(data);
        trainer.Fit(data);

        CollectionAssert.AreEqual(Enumerable.Range(1, 3).ToArray(), trainer.TrainingHistory.Select(p => p.Epoch).ToArray());
    }
}
