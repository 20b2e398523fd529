using System.Globalization;
using Microsoft.ML;
using TextClassification;

// Text classification as ML.NET's tutorials do it, with the AdaBelief trainers: spam detection (binary) and the
// GitHub issue labeler (multiclass), each featurized by FeaturizeText and trained with a validation set, a
// learning-rate schedule and early stopping, next to the tutorial's SDCA trainer on the same features.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var ml = new MLContext(seed: 1);
double spamAuc = SmsSpam.Run(ml);
Console.WriteLine();
Console.WriteLine();
double issueAccuracy = IssueLabeler.Run(ml);

// Fail (for CI) when a model is no better than a useless one: spam AUC 0.5, or always the most common area
// (area-System.Net, 477 of the 1,615 issues: about 30%).
if (spamAuc < 0.95 || issueAccuracy < 0.5)
{
    Console.Error.WriteLine($"A model came out worse than expected: spam AUC {spamAuc:F4} (expected > 0.95), issue micro-accuracy {issueAccuracy:F4} (expected > 0.5).");
    return 1;
}
return 0;
