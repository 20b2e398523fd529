using BenchmarkDotNet.Running;

namespace MLNet.AdaBelief.Benchmarks;

/// <summary>
/// Entry point: <c>dotnet run -c Release --project test/MLNet.AdaBelief.Benchmarks -- --filter '*OptimizerStep*'</c>, or
/// <c>-- sweep ...</c> for the defaults' measurements (<see cref="DefaultsSweep"/>).
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args is ["sweep", .. var rest])
            DefaultsSweep.Run(rest);
        else
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
