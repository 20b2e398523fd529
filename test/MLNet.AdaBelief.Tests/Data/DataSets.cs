using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MLNet.AdaBelief.Tests.Data;

/// <summary>
/// The real data sets bundled with the tests (see <c>Data/README.md</c>), each loaded as an <see cref="IDataView"/>
/// with exactly two columns: <c>Label</c> and <c>Features</c>, a vector of raw, unnormalized <see cref="float"/>s.
/// </summary>
/// <remarks>
/// The files are copied next to the test assembly (<c>Data/**</c> in the test project). Every view is lazy: it
/// re-reads its file on each pass, so a trainer that makes several passes should be preceded by a cache checkpoint.
/// </remarks>
internal static class DataSets
{
    /// <summary>Rows in <c>housing.txt</c>.</summary>
    public const int HousingRows = 506;

    /// <summary>Features of housing: the 13 numeric columns after <c>MedianHomeValue</c>.</summary>
    public const int HousingFeatures = 13;

    /// <summary>Rows in <c>adult.txt</c>.</summary>
    public const int AdultRows = 32_561;

    /// <summary>Numeric columns of adult, used as they are.</summary>
    public const int AdultNumericColumns = 6;

    /// <summary>Categorical columns of adult, each one-hot encoded.</summary>
    public const int AdultCategoricalColumns = 8;

    /// <summary>
    /// Features of adult: the 6 numeric columns, then the one-hot encodings of the 8 categorical columns, whose
    /// distinct values are workclass 9, education 16, marital-status 7, occupation 15, relationship 6, ethnicity 5,
    /// sex 2 and native-country 42 (the counts include '?', unknown, in workclass, occupation and native-country):
    /// 6 + 102 = 108.
    /// </summary>
    public const int AdultFeatures = 108;

    /// <summary>Data rows in <c>breast-cancer.txt</c> (comment lines and the blank line excluded).</summary>
    public const int BreastCancerRows = 699;

    /// <summary>Breast-cancer rows with a missing value ('?' in Bare Nuclei, read as NaN).</summary>
    public const int BreastCancerRowsWithMissingValue = 16;

    /// <summary>Features of breast cancer: 9 numeric columns, each an integer 1-10.</summary>
    public const int BreastCancerFeatures = 9;

    /// <summary>Rows in <c>iris.txt</c>.</summary>
    public const int IrisRows = 150;

    /// <summary>Features of iris: sepal length and width, petal length and width.</summary>
    public const int IrisFeatures = 4;

    /// <summary>Classes of iris (labels 0, 1, 2; 50 rows each).</summary>
    public const int IrisClasses = 3;

    /// <summary>The folder holding the data files, next to the test assembly.</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Data");

    /// <summary>The full path of one of the bundled data files.</summary>
    public static string PathOf(string fileName) => Path.Combine(Directory, fileName);

    /// <summary>
    /// Boston housing, regression: <c>Label</c> (<see cref="float"/>) is <c>MedianHomeValue</c>, column 0;
    /// <c>Features</c> are columns 1-13. Tab-separated with a header line.
    /// </summary>
    public static IDataView Housing(MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return mlContext.Data.LoadFromTextFile(
            PathOf("housing.txt"),
            [
                new TextLoader.Column("Label", DataKind.Single, 0),
                new TextLoader.Column("Features", DataKind.Single, 1, HousingFeatures),
            ],
            separatorChar: '\t',
            hasHeader: true);
    }

    /// <summary>
    /// Adult census income, binary: <c>Label</c> (<see cref="bool"/>) is <c>label(IsOver50K)</c>, the last column
    /// (0/1). <c>Features</c> (<see cref="AdultFeatures"/> slots) is the concatenation of the 6 numeric columns (age,
    /// fnlwgt, education-num, capital-gain, capital-loss, hours-per-week) and the one-hot encodings
    /// (<see cref="CategoricalCatalog.OneHotEncoding(TransformsCatalog.CategoricalTransforms, InputOutputColumnPair[], OneHotEncodingEstimator.OutputKind, int, ValueToKeyMappingEstimator.KeyOrdinality, bool)"/>,
    /// indicator vectors, categories sorted by value) of the 8 categorical columns (workclass, education,
    /// marital-status, occupation, relationship, ethnicity, sex, native-country), in that order. The encoding is an
    /// estimator pipeline fitted on the whole file; '?' (unknown, in workclass, occupation and native-country) is a
    /// category like any other. The file is comma+space separated with a header line.
    /// </summary>
    public static IDataView Adult(MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        string[] numeric = ["Age", "Fnlwgt", "EducationNum", "CapitalGain", "CapitalLoss", "HoursPerWeek"];
        string[] categorical =
            ["Workclass", "Education", "MaritalStatus", "Occupation", "Relationship", "Ethnicity", "Sex", "NativeCountry"];
        IDataView raw = mlContext.Data.LoadFromTextFile(
            PathOf("adult.txt"),
            new TextLoader.Options
            {
                Columns =
                [
                    new TextLoader.Column("Age", DataKind.Single, 0),
                    new TextLoader.Column("Workclass", DataKind.String, 1),
                    new TextLoader.Column("Fnlwgt", DataKind.Single, 2),
                    new TextLoader.Column("Education", DataKind.String, 3),
                    new TextLoader.Column("EducationNum", DataKind.Single, 4),
                    new TextLoader.Column("MaritalStatus", DataKind.String, 5),
                    new TextLoader.Column("Occupation", DataKind.String, 6),
                    new TextLoader.Column("Relationship", DataKind.String, 7),
                    new TextLoader.Column("Ethnicity", DataKind.String, 8),
                    new TextLoader.Column("Sex", DataKind.String, 9),
                    new TextLoader.Column("CapitalGain", DataKind.Single, 10),
                    new TextLoader.Column("CapitalLoss", DataKind.Single, 11),
                    new TextLoader.Column("HoursPerWeek", DataKind.Single, 12),
                    new TextLoader.Column("NativeCountry", DataKind.String, 13),
                    new TextLoader.Column("Label", DataKind.Boolean, 14),
                ],
                Separators = [','],
                HasHeader = true,
                TrimWhitespace = true,
            });

        var pipeline = mlContext.Transforms.Categorical.OneHotEncoding(
                [.. categorical.Select(c => new InputOutputColumnPair(c))],
                OneHotEncodingEstimator.OutputKind.Indicator,
                keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(mlContext.Transforms.Concatenate("Features", [.. numeric, .. categorical]))
            .Append(mlContext.Transforms.SelectColumns("Label", "Features"));
        return pipeline.Fit(raw).Transform(raw);
    }

    /// <summary>
    /// Wisconsin breast cancer, binary: <c>Label</c> (<see cref="bool"/>) is column 0 (0 benign, 1 malignant);
    /// <c>Features</c> are columns 1-9. Tab-separated, no header, comment lines start with <c>//</c>. Bare Nuclei
    /// (column 6) is '?' in <see cref="BreastCancerRowsWithMissingValue"/> rows: read as NaN and kept, since ML.NET's
    /// trainers skip rows with a missing feature (and so must ours).
    /// </summary>
    public static IDataView BreastCancer(MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return mlContext.Data.LoadFromTextFile(
            PathOf("breast-cancer.txt"),
            [
                new TextLoader.Column("Label", DataKind.Boolean, 0),
                new TextLoader.Column("Features", DataKind.Single, 1, BreastCancerFeatures),
            ],
            separatorChar: '\t',
            hasHeader: false);
    }

    /// <summary>
    /// Iris, multiclass: <c>Label</c> is a key (3 values, ordered by value: 0, 1, 2 map to keys 1, 2, 3) made from
    /// column 0 by <see cref="ConversionsExtensionsCatalog.MapValueToKey(TransformsCatalog.ConversionTransforms, string, string, int, ValueToKeyMappingEstimator.KeyOrdinality, bool, IDataView)"/>;
    /// <c>Features</c> are columns 1-4. Tab-separated; the header line starts with '#', so TextLoader already skips it
    /// as a comment, and <c>hasHeader: true</c> would drop the first data row as well.
    /// </summary>
    public static IDataView Iris(MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        IDataView raw = mlContext.Data.LoadFromTextFile(
            PathOf("iris.txt"),
            [
                new TextLoader.Column("Label", DataKind.Single, 0),
                new TextLoader.Column("Features", DataKind.Single, 1, IrisFeatures),
            ],
            separatorChar: '\t',
            hasHeader: false);
        return mlContext.Transforms.Conversion
            .MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Fit(raw)
            .Transform(raw);
    }

    /// <summary>Counts the rows of a view by a cursor over no columns.</summary>
    public static long CountRows(IDataView data)
    {
        ArgumentNullException.ThrowIfNull(data);
        long rows = 0;
        using DataViewRowCursor cursor = data.GetRowCursor([]);
        while (cursor.MoveNext())
        {
            rows++;
        }

        return rows;
    }

    /// <summary>Counts the rows whose <c>Features</c> hold a NaN.</summary>
    public static long CountRowsWithMissingFeature(IDataView data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.GetColumn<VBuffer<float>>("Features")
            .LongCount(v => v.DenseValues().Any(float.IsNaN));
    }
}
