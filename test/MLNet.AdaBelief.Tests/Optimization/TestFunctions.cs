namespace MLNet.AdaBelief.Tests.Optimization;

/// <summary>Objectives whose gradients vary from step to step, written generically so float and double paths share them.</summary>
internal static class TestFunctions
{
    /// <summary>The extended Rosenbrock function Σ 100(x₂ᵢ₊₁ − x₂ᵢ²)² + (1 − x₂ᵢ)², minimum 0 at all ones.</summary>
    public static double Rosenbrock(ReadOnlySpan<double> x)
    {
        double f = 0;
        for (int i = 0; i + 1 < x.Length; i += 2)
            f += 100 * Math.Pow(x[i + 1] - x[i] * x[i], 2) + Math.Pow(1 - x[i], 2);
        return f;
    }

    public static void RosenbrockGradient<T>(ReadOnlySpan<T> x, Span<T> g)
        where T : System.Numerics.IFloatingPoint<T>
    {
        T two = T.CreateChecked(2), hundred = T.CreateChecked(100), four00 = T.CreateChecked(400);
        for (int i = 0; i + 1 < x.Length; i += 2)
        {
            T a = x[i], b = x[i + 1];
            g[i] = -four00 * a * (b - a * a) - two * (T.One - a);
            g[i + 1] = two * hundred * (b - a * a);
        }
    }

    /// <summary>Curvature of an ill-conditioned quadratic ½ Σ cᵢ(xᵢ − 1)², cᵢ spread log-uniformly over [1, condition].</summary>
    public static double[] Curvatures(int n, double condition) =>
        Enumerable.Range(0, n).Select(i => Math.Pow(condition, i / (double)(n - 1))).ToArray();

    public static void QuadraticGradient<T>(ReadOnlySpan<T> x, ReadOnlySpan<double> curvature, Span<T> g)
        where T : System.Numerics.IFloatingPoint<T>
    {
        for (int i = 0; i < x.Length; i++)
            g[i] = T.CreateChecked(curvature[i]) * (x[i] - T.One);
    }
}
