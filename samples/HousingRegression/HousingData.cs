using Microsoft.ML;
using Microsoft.ML.Data;

namespace HousingRegression;

/// <summary>The Boston housing data: the median home value from 13 raw neighbourhood measurements.</summary>
internal static class HousingData
{
    public const string FileName = "housing.txt";

    /// <summary>Column names of the file, in order; the first is the label.</summary>
    public static readonly string[] FeatureNames =
    [
        "CrimesPerCapita", "PercentResidental", "PercentNonRetail", "CharlesRiver", "NitricOxides", "RoomsPerDwelling",
        "PercentPre40s", "EmploymentDistance", "HighwayDistance", "TaxRate", "TeacherRatio", "BlackIndex", "PercentLowIncome",
    ];

    /// <summary>The bundled copy next to the program, or the path given on the command line.</summary>
    public static string Locate(string[] args) =>
        args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "data", FileName);

    /// <summary>Loads the file as Label (the median value, in $1000s) and a raw 13-value Features vector.</summary>
    public static IDataView Load(MLContext ml, string path) =>
        ml.Data.LoadFromTextFile(
            path,
            [
                new TextLoader.Column("Label", DataKind.Single, 0),
                new TextLoader.Column("Features", DataKind.Single, 1, FeatureNames.Length),
            ],
            separatorChar: '\t',
            hasHeader: true);
}
