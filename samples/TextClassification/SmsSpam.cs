using System.Diagnostics;
using AdaBelief.Optimization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.AdaBelief;
using Samples.Shared;

namespace TextClassification;

/// <summary>
/// Spam detection on the SMS Spam Collection: <c>FeaturizeText</c> into the binary AdaBelief trainer, trained with a
/// validation set, a plateau schedule that follows the validation loss, and early stopping; SDCA logistic regression
/// (the sentiment-analysis tutorial's trainer) on the same features for reference.
/// </summary>
internal static class SmsSpam
{
    /// <summary>Runs the example; returns the test AUC.</summary>
    public static double Run(MLContext ml)
    {
        IDataView data = ml.Data.LoadFromTextFile<SmsMessage>(SampleData.Path("SMSSpamCollection.tsv"), separatorChar: '\t', hasHeader: false);
        // 20% test; of the rest, 20% validation (watched for early stopping and by the schedule) and 80% training.
        DataOperationsCatalog.TrainTestData outer = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);
        DataOperationsCatalog.TrainTestData inner = ml.Data.TrainTestSplit(outer.TrainSet, testFraction: 0.2, seed: 1);
        Console.WriteLine($"SMS spam: {SampleData.RowCount(inner.TrainSet)} training, {SampleData.RowCount(inner.TestSet)} validation, {SampleData.RowCount(outer.TestSet)} test messages");

        // As the tutorials do: the label to Boolean, the text to a sparse vector of word and character n-grams.
        // The featurizer learns its vocabulary from the training rows only.
        var featurize = ml.Transforms.Conversion.MapValue("Label", new Dictionary<string, bool> { ["ham"] = false, ["spam"] = true }, "Label")
            .Append(ml.Transforms.Text.FeaturizeText("Features", nameof(SmsMessage.Message)));
        var featurizer = featurize.Fit(inner.TrainSet);
        IDataView train = ml.Data.Cache(featurizer.Transform(inner.TrainSet));
        IDataView validation = ml.Data.Cache(featurizer.Transform(inner.TestSet));

        var progress = new EpochProgress(every: 5);
        var trainer = ml.BinaryClassification.Trainers.AdaBelief(new AdaBeliefBinaryTrainer.Options
        {
            NumberOfEpochs = 60,
            // Halve the rate when the validation loss has not improved for 2 epochs; stop after 6 such epochs and
            // keep the best epoch's model.
            LearningRateSchedule = new ReduceLROnPlateau(0.05, factor: 0.5, patience: 2),
            EarlyStoppingPatience = 6,
            ProgressCallback = progress.Report,
        });
        EpochProgress.WriteHeader();
        var clock = Stopwatch.StartNew();
        var adaBelief = trainer.Fit(train, validation);
        TimeSpan adaBeliefTime = clock.Elapsed;
        Console.WriteLine($"stopped after epoch {trainer.TrainingHistory.Count}; kept epoch {trainer.BestEpoch} (lowest validation loss)");
        Console.WriteLine();

        clock.Restart();
        var sdca = ml.BinaryClassification.Trainers.SdcaLogisticRegression().Fit(train);
        TimeSpan sdcaTime = clock.Elapsed;

        IDataView test = featurizer.Transform(outer.TestSet);
        CalibratedBinaryClassificationMetrics a = ml.BinaryClassification.Evaluate(adaBelief.Transform(test));
        CalibratedBinaryClassificationMetrics s = ml.BinaryClassification.Evaluate(sdca.Transform(test));
        var table = new ConsoleTable("trainer (same features)", "AUC", "accuracy", "F1 (spam)", "log-loss", "Fit time");
        table.AddRow("AdaBelief, plateau schedule, early stopping", F(a.AreaUnderRocCurve), F(a.Accuracy), F(a.F1Score), F(a.LogLoss), Seconds(adaBeliefTime));
        table.AddRow("SdcaLogisticRegression, defaults", F(s.AreaUnderRocCurve), F(s.Accuracy), F(s.F1Score), F(s.LogLoss), Seconds(sdcaTime));
        table.Write();
        Console.WriteLine();

        // The whole chain, text in, probability out, as an application would use it.
        ITransformer model = featurizer.Append(adaBelief);
        var engine = ml.Model.CreatePredictionEngine<SmsMessage, SpamPrediction>(model);
        var examples = new ConsoleTable("message", "spam?", "probability");
        foreach (string message in new[]
        {
            "Are we still meeting for lunch tomorrow?",
            "WINNER! You have been selected for a free holiday. Call now to claim your prize",
            "Sorry, running late, be there in 10",
        })
        {
            SpamPrediction p = engine.Predict(new SmsMessage { Message = message });
            examples.AddRow(message, p.PredictedLabel ? "spam" : "ham", F(p.Probability));
        }
        examples.Write();
        return a.AreaUnderRocCurve;
    }

    private static string F(double value) => ConsoleTable.Number(value, "F4");

    internal static string Seconds(TimeSpan time) => ConsoleTable.Number(time.TotalSeconds, "F2") + " s";
}
