using Microsoft.ML;
using Microsoft.ML.Data;

namespace PackageConsumer;

/// <summary>One row of samples/data/housing.txt: the median home value ($1000s) and 13 raw measurements.</summary>
public sealed class HousingRow
{
    /// <summary>The columns the model concatenates into its feature vector, in file order.</summary>
    public static readonly string[] FeatureColumns =
    [
        nameof(CrimesPerCapita), nameof(PercentResidental), nameof(PercentNonRetail), nameof(CharlesRiver),
        nameof(NitricOxides), nameof(RoomsPerDwelling), nameof(PercentPre40s), nameof(EmploymentDistance),
        nameof(HighwayDistance), nameof(TaxRate), nameof(TeacherRatio), nameof(BlackIndex), nameof(PercentLowIncome),
    ];

    [LoadColumn(0), ColumnName("Label")] public float MedianHomeValue { get; set; }
    [LoadColumn(1)] public float CrimesPerCapita { get; set; }
    [LoadColumn(2)] public float PercentResidental { get; set; }
    [LoadColumn(3)] public float PercentNonRetail { get; set; }
    [LoadColumn(4)] public float CharlesRiver { get; set; }
    [LoadColumn(5)] public float NitricOxides { get; set; }
    [LoadColumn(6)] public float RoomsPerDwelling { get; set; }
    [LoadColumn(7)] public float PercentPre40s { get; set; }
    [LoadColumn(8)] public float EmploymentDistance { get; set; }
    [LoadColumn(9)] public float HighwayDistance { get; set; }
    [LoadColumn(10)] public float TaxRate { get; set; }
    [LoadColumn(11)] public float TeacherRatio { get; set; }
    [LoadColumn(12)] public float BlackIndex { get; set; }
    [LoadColumn(13)] public float PercentLowIncome { get; set; }
}

/// <summary>The model's output for one row.</summary>
public sealed class HousingPrediction
{
    /// <summary>The predicted median home value ($1000s).</summary>
    public float Score { get; set; }
}

/// <summary>The rows both programs score and the file format of the trainer's predictions.</summary>
public static class ConsumerFiles
{
    /// <summary>Reads the bundled housing file: tab-separated with a header.</summary>
    public static IEnumerable<HousingRow> ReadRows(MLContext ml, string path) =>
        ml.Data.CreateEnumerable<HousingRow>(
            ml.Data.LoadFromTextFile<HousingRow>(path, separatorChar: '\t', hasHeader: true), reuseRowObject: false);

    /// <summary>Scores written as the bits of each float, one per line, so the comparison is exact.</summary>
    public static void WriteScores(string path, IEnumerable<float> scores) =>
        File.WriteAllLines(path, scores.Select(s => BitConverter.SingleToInt32Bits(s).ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Reads what <see cref="WriteScores"/> wrote.</summary>
    public static float[] ReadScores(string path) =>
        File.ReadAllLines(path).Select(l => BitConverter.Int32BitsToSingle(int.Parse(l, System.Globalization.CultureInfo.InvariantCulture))).ToArray();
}
