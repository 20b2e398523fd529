namespace MLNet.AdaBelief.Tests.Optimization;

/// <summary>
/// The test oracle: a literal double-precision transcription of the reference equations, one element at a time,
/// written independently of the library's fused kernel (no coefficient folding, no SIMD, no float).
/// </summary>
internal sealed class ReferenceAdaBelief
{
    private readonly AdaBeliefOptions _o;
    private readonly double[][] _m;
    private readonly double[][] _s;
    private readonly double[][] _sMax;

    public ReferenceAdaBelief(int[] lengths, AdaBeliefOptions options)
    {
        _o = options;
        _m = lengths.Select(n => new double[n]).ToArray();
        _s = lengths.Select(n => new double[n]).ToArray();
        _sMax = lengths.Select(n => new double[n]).ToArray();
    }

    public long T { get; private set; }

    public void Step(double[][] parameters, double[][] rawGradients, double lr)
    {
        T++;
        double t = T;
        double b1 = _o.Beta1, b2 = _o.Beta2, eps = _o.Epsilon;

        // 1. clip by global norm over all tensors
        double[][] g = rawGradients.Select(x => (double[])x.Clone()).ToArray();
        if (_o.GradientClipNorm is { } c)
        {
            double norm = Math.Sqrt(g.Sum(x => x.Sum(v => v * v)));
            double scale = Math.Min(1.0, c / norm);
            foreach (double[] x in g)
            {
                for (int i = 0; i < x.Length; i++)
                    x[i] *= scale;
            }
        }

        for (int k = 0; k < g.Length; k++)
        {
            double[] p = parameters[k], gk = g[k], m = _m[k], s = _s[k], sMax = _sMax[k];
            for (int i = 0; i < p.Length; i++)
            {
                double gi = gk[i];
                if (_o.GradientClipValue is { } cv)
                    gi = Math.Clamp(gi, -cv, cv); // 2. clip by value
                if (_o.WeightDecay > 0 && !_o.DecoupledWeightDecay)
                    gi += _o.WeightDecay * p[i]; // 3. coupled decay

                m[i] = b1 * m[i] + (1 - b1) * gi; // 4.
                s[i] = b2 * s[i] + (1 - b2) * (gi - m[i]) * (gi - m[i]) + eps; // 5. new m, eps inside s
                sMax[i] = Math.Max(sMax[i], s[i]);
                double sUsed = _o.Amsgrad ? sMax[i] : s[i];

                double mHat = _o.Nesterov
                    ? b1 * m[i] / (1 - Math.Pow(b1, t + 1)) + (1 - b1) * gi / (1 - Math.Pow(b1, t))
                    : m[i] / (1 - Math.Pow(b1, t));

                double update;
                if (_o.Rectify)
                {
                    double rhoInf = 2 / (1 - b2) - 1;
                    double rho = rhoInf - 2 * t * Math.Pow(b2, t) / (1 - Math.Pow(b2, t));
                    if (rho >= 5)
                    {
                        double r = Math.Sqrt((rho - 4) * (rho - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rho));
                        update = r * Math.Sqrt(1 - Math.Pow(b2, t)) * mHat / (Math.Sqrt(sUsed) + eps);
                    }
                    else
                    {
                        update = _o.DegenerateToSgd ? mHat : 0;
                    }
                }
                else
                {
                    update = mHat / (Math.Sqrt(sUsed / (1 - Math.Pow(b2, t))) + eps); // 6.
                }

                double decay = !_o.DecoupledWeightDecay ? 0 : _o.FixedDecay ? _o.WeightDecay * p[i] : lr * _o.WeightDecay * p[i];
                p[i] = p[i] - decay - lr * update;
            }
        }
    }
}
