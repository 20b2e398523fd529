using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using System.Globalization;

namespace MLNet.AdaBelief.Benchmarks;

/// <summary>Median time of one invocation divided by the benchmark's element count N.</summary>
public sealed class NanosecondsPerElementColumn : IColumn
{
    public string Id => nameof(NanosecondsPerElementColumn);

    public string ColumnName => "ns/elem (median)";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Median time per invocation divided by N, in nanoseconds";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        var statistics = report?.ResultStatistics;
        object? n = benchmarkCase.Parameters["N"];
        if (statistics is null || n is null)
            return "NA";
        double perElement = statistics.Median / Convert.ToDouble(n, CultureInfo.InvariantCulture);
        return perElement.ToString("0.0000", CultureInfo.InvariantCulture);
    }
}
