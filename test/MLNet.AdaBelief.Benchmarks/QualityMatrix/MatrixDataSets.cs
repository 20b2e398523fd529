using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MLNet.AdaBelief.Tests.Data;

namespace MLNet.AdaBelief.Benchmarks.QualityMatrix;

/// <summary>
/// The data sets of the quality matrix: the four the tests bundle, housing with its price in dollars, the ML.NET
/// tutorial sets (<c>test/data/mlnet-samples</c>, featurized as each tutorial does), and generated sets of the
/// shapes the tutorials lack (see <see cref="SyntheticMatrixData"/>).
/// </summary>
internal static class MatrixDataSets
{
    /// <summary>Every set, in the order of the table.</summary>
    public static IReadOnlyList<MatrixSet> All { get; } =
    [
        new("housing", MatrixTask.Regression, "RSquared", ml => Cv(DataSets.Housing(ml)), Identity, true),
        new("housing-dollars", MatrixTask.Regression, "RSquared", ml => Cv(DataSets.Housing(ml)), ScaleLabel(1000), true),
        new("adult", MatrixTask.Binary, "AUC", ml => Cv(DataSets.Adult(ml)), Identity, true),
        new("breast-cancer", MatrixTask.Binary, "AUC", ml => Cv(DataSets.BreastCancer(ml)), Identity, true),
        new("iris", MatrixTask.Multiclass, "MacroAccuracy", ml => Cv(DataSets.Iris(ml)), Identity, true),
        new("taxi-fare", MatrixTask.Regression, "RSquared", TaxiFare, TaxiFareFeatures, true),
        new("sms-spam", MatrixTask.Binary, "AUPRC", SmsSpam, SmsSpamFeatures, false),
        new("github-issues", MatrixTask.Multiclass, "MicroAccuracy", GitHubIssues, GitHubIssuesFeatures, false),
        new("optdigits", MatrixTask.Multiclass, "MicroAccuracy", OptDigits, KeyLabel, true),
        new("bike-sharing", MatrixTask.Regression, "RSquared", BikeSharing, Identity, true),
        new("heart", MatrixTask.Binary, "AUC", Heart, Identity, true),
        new("wikipedia-detox", MatrixTask.Binary, "AUC", WikipediaDetox, TextFeatures("SentimentText"), false),
        new("synthetic-dollars", MatrixTask.Regression, "RSquared", SyntheticMatrixData.DenseRegression, Identity, true),
        new("synthetic-text", MatrixTask.Binary, "AUC", SyntheticMatrixData.SparseTextBinary, Identity, true),
        new("synthetic-multiclass", MatrixTask.Multiclass, "MacroAccuracy", SyntheticMatrixData.DenseMulticlass, Identity, true),
    ];

    /// <summary>The folder of the tutorial files, next to the benchmark assembly.</summary>
    private static string SamplesPath(string file) => Path.Combine(AppContext.BaseDirectory, "Data", "mlnet-samples", file);

    private static MatrixRows Cv(IDataView data) => new(data, null);

    /// <summary>No featurization: the generated or loaded columns are already <c>Label</c> and <c>Features</c>.</summary>
    internal static EstimatorChain<ITransformer> Identity(MLContext ml) => new EstimatorChain<ITransformer>();

    private static Func<MLContext, IEstimator<ITransformer>> ScaleLabel(float factor) =>
        ml => ml.Transforms.Expression("Label", $"x => x * {factor}", "Label");

    private static ValueToKeyMappingEstimator KeyLabel(MLContext ml) =>
        ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue);

    /// <summary>Taxi fare: the tutorial's one-hot vendor, rate code and payment type, and three numeric columns.</summary>
    private static MatrixRows TaxiFare(MLContext ml)
    {
        TextLoader loader = TaxiFareLoader(ml);
        return new(loader.Load(SamplesPath("taxi-fare-train.csv")), loader.Load(SamplesPath("taxi-fare-test.csv")));
    }

    /// <summary>The taxi-fare files' columns, as the tutorial reads them (the fare is the label).</summary>
    internal static TextLoader TaxiFareLoader(MLContext ml) => ml.Data.CreateTextLoader(
        [
            new TextLoader.Column("VendorId", DataKind.String, 0),
            new TextLoader.Column("RateCode", DataKind.String, 1),
            new TextLoader.Column("PassengerCount", DataKind.Single, 2),
            new TextLoader.Column("TripTime", DataKind.Single, 3),
            new TextLoader.Column("TripDistance", DataKind.Single, 4),
            new TextLoader.Column("PaymentType", DataKind.String, 5),
            new TextLoader.Column("Label", DataKind.Single, 6),
        ],
        separatorChar: ',',
        hasHeader: true);

    private static EstimatorChain<ColumnConcatenatingTransformer> TaxiFareFeatures(MLContext ml) =>
        ml.Transforms.Categorical.OneHotEncoding(
                [new("VendorIdEncoded", "VendorId"), new("RateCodeEncoded", "RateCode"), new("PaymentTypeEncoded", "PaymentType")])
            .Append(ml.Transforms.Concatenate("Features",
                "VendorIdEncoded", "RateCodeEncoded", "PaymentTypeEncoded", "PassengerCount", "TripTime", "TripDistance"));

    /// <summary>SMS spam: "spam" is the positive class; the message through <c>FeaturizeText</c>.</summary>
    private static MatrixRows SmsSpam(MLContext ml) => Cv(ml.Data.LoadFromTextFile(
        SamplesPath("SMSSpamCollection.tsv"),
        [new TextLoader.Column("LabelText", DataKind.String, 0), new TextLoader.Column("Message", DataKind.String, 1)],
        separatorChar: '\t',
        hasHeader: false));

    private static EstimatorChain<ITransformer> SmsSpamFeatures(MLContext ml) =>
        ml.Transforms.Conversion.MapValue("Label", [new KeyValuePair<string, bool>("spam", true), new KeyValuePair<string, bool>("ham", false)], "LabelText")
            .Append(ml.Transforms.Text.FeaturizeText("Features", "Message"));

    /// <summary>GitHub issue labeler (corefx): Area from the featurized title and description.</summary>
    private static MatrixRows GitHubIssues(MLContext ml) => Cv(ml.Data.LoadFromTextFile(
        SamplesPath("corefx-issues-train.tsv"),
        [
            new TextLoader.Column("Area", DataKind.String, 1),
            new TextLoader.Column("Title", DataKind.String, 2),
            new TextLoader.Column("Description", DataKind.String, 3),
        ],
        separatorChar: '\t',
        hasHeader: true));

    private static EstimatorChain<ColumnConcatenatingTransformer> GitHubIssuesFeatures(MLContext ml) =>
        ml.Transforms.Conversion.MapValueToKey("Label", "Area")
            .Append(ml.Transforms.Text.FeaturizeText("TitleFeaturized", "Title"))
            .Append(ml.Transforms.Text.FeaturizeText("DescriptionFeaturized", "Description"))
            .Append(ml.Transforms.Concatenate("Features", "TitleFeaturized", "DescriptionFeaturized"));

    /// <summary>Optdigits: 64 pixel counts, the digit in the last column.</summary>
    private static MatrixRows OptDigits(MLContext ml)
    {
        TextLoader loader = ml.Data.CreateTextLoader(
            [new TextLoader.Column("Features", DataKind.Single, 0, 63), new TextLoader.Column("Label", DataKind.Single, 64)],
            separatorChar: ',',
            hasHeader: false);
        return new(loader.Load(SamplesPath("optdigits-train.csv")), loader.Load(SamplesPath("optdigits-test.csv")));
    }

    /// <summary>Bike sharing (hourly): rentals from the twelve columns the tutorial keeps.</summary>
    private static MatrixRows BikeSharing(MLContext ml)
    {
        // season, yr, mnth, hr, holiday, weekday, workingday, weathersit, temp, atemp, hum, windspeed; cnt is the label.
        TextLoader loader = ml.Data.CreateTextLoader(
            [new TextLoader.Column("Features", DataKind.Single, 2, 13), new TextLoader.Column("Label", DataKind.Single, 16)],
            separatorChar: ',',
            hasHeader: true);
        return new(loader.Load(SamplesPath("bike-hour-train.csv")), loader.Load(SamplesPath("bike-hour-test.csv")));
    }

    /// <summary>
    /// Heart disease: 13 measurements. The tutorial's test file has 19 rows, too few to rank trainers, so both files
    /// together (301 rows) are cross-validated.
    /// </summary>
    private static MatrixRows Heart(MLContext ml)
    {
        TextLoader loader = ml.Data.CreateTextLoader(
            [new TextLoader.Column("Features", DataKind.Single, 0, 12), new TextLoader.Column("Label", DataKind.Boolean, 13)],
            separatorChar: ';',
            hasHeader: false);
        return Cv(loader.Load(new MultiFileSource(SamplesPath("heart-train.csv"), SamplesPath("heart-test.csv"))));
    }

    /// <summary>Wikipedia detox: the 250 training and 17 test rows together (267), cross-validated.</summary>
    private static MatrixRows WikipediaDetox(MLContext ml)
    {
        TextLoader loader = ml.Data.CreateTextLoader(
            [new TextLoader.Column("Label", DataKind.Boolean, 0), new TextLoader.Column("SentimentText", DataKind.String, 1)],
            separatorChar: '\t',
            hasHeader: true);
        return Cv(loader.Load(new MultiFileSource(SamplesPath("wikipedia-detox-250-line-data.tsv"), SamplesPath("wikipedia-detox-250-line-test.tsv"))));
    }

    private static Func<MLContext, IEstimator<ITransformer>> TextFeatures(string column) =>
        ml => ml.Transforms.Text.FeaturizeText("Features", column);
}
