using BenchmarkDotNet.Running;

namespace MLNet.AdaBelief.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release --project test/MLNet.AdaBelief.Benchmarks -- --filter '*OptimizerStep*'</c>.</summary>
public static class Program
{
    public static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
