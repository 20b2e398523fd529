using BenchmarkDotNet.Running;

namespace MLNet.AdaBelief.Benchmarks;

/// <summary>
/// Entry point: <c>dotnet run -c Release --project test/MLNet.AdaBelief.Benchmarks -- --filter '*OptimizerStep*'</c>
/// (or <c>'*LinearRegression*'</c>); <c>-- quick ...</c> for stopwatch timings (<see cref="QuickTiming"/>);
/// <c>-- sweep ...</c> for the defaults' measurements (<see cref="DefaultsSweep"/>); <c>-- sparse ...</c> for Fit
/// time on a text-like sparse set (<see cref="SparseTextTiming"/>); <c>-- scaling ...</c> for the sparse scalings
/// compared (<see cref="SparseScalingComparison"/>); <c>-- peak-rate ...</c> for the peak rate of many epochs on
/// samples the rule was not chosen on (<see cref="PeakRateCheck"/>); <c>-- --quality-matrix ...</c> for the quality
/// matrix against ML.NET's built-in trainers (<see cref="QualityMatrix.QualityMatrixCommand"/>).
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        switch (args)
        {
            case ["quick", .. var rest]:
                QuickTiming.Run(rest);
                break;
            case ["sweep", .. var rest]:
                DefaultsSweep.Run(rest);
                break;
            case ["--quality-matrix", .. var rest]:
                QualityMatrix.QualityMatrixCommand.Run(rest);
                break;
            case ["sparse", .. var rest]:
                SparseTextTiming.Run(rest);
                break;
            case ["scaling", .. var rest]:
                SparseScalingComparison.Run(rest);
                break;
            case ["peak-rate", .. var rest]:
                PeakRateCheck.Run(rest);
                break;
            default:
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
                break;
        }
    }
}
