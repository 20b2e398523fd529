namespace MLNet.AdaBelief.Tests.Optimization;

/// <summary>
/// A plain float scalar implementation of the same equations, one operation per line as written, no fused
/// multiply-add: the SIMD path must agree with it within float rounding. Supports one tensor and a fixed rate.
/// </summary>
internal sealed class ScalarReferenceAdaBelief(int length, AdaBeliefOptions options)
{
    private readonly float[] _m = new float[length];
    private readonly float[] _s = new float[length];
    private readonly float[] _sMax = new float[length];
    private long _t;

    public void Step(float[] p, float[] rawG, float lr)
    {
        _t++;
        float b1 = (float)options.Beta1, b2 = (float)options.Beta2, eps = (float)options.Epsilon;
        float bc1 = (float)(1 - Math.Pow(options.Beta1, _t));
        float bc2 = (float)(1 - Math.Pow(options.Beta2, _t));

        float scale = 1f;
        if (options.GradientClipNorm is { } c)
        {
            double sum = 0;
            foreach (float v in rawG)
                sum += (double)v * v;
            float norm = (float)Math.Sqrt(sum);
            scale = Math.Min(1f, (float)c / norm);
        }

        for (int i = 0; i < p.Length; i++)
        {
            float g = rawG[i] * scale;
            if (options.GradientClipValue is { } cv)
                g = Math.Clamp(g, -(float)cv, (float)cv);
            if (!options.DecoupledWeightDecay)
                g = g + (float)options.WeightDecay * p[i];

            _m[i] = b1 * _m[i] + (1 - b1) * g;
            float d = g - _m[i];
            _s[i] = b2 * _s[i] + (1 - b2) * d * d + eps;
            _sMax[i] = Math.Max(_sMax[i], _s[i]);
            float sUsed = options.Amsgrad ? _sMax[i] : _s[i];

            float mHat = options.Nesterov
                ? b1 * _m[i] / (float)(1 - Math.Pow(options.Beta1, _t + 1)) + (1 - b1) * g / bc1
                : _m[i] / bc1;

            float update;
            if (options.Rectify)
            {
                double rhoInf = 2 / (1 - options.Beta2) - 1;
                double rho = rhoInf - 2 * _t * Math.Pow(options.Beta2, _t) / (1 - Math.Pow(options.Beta2, _t));
                if (rho >= 5)
                {
                    float r = (float)Math.Sqrt((rho - 4) * (rho - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rho));
                    update = r * MathF.Sqrt(bc2) * mHat / (MathF.Sqrt(sUsed) + eps);
                }
                else
                {
                    update = mHat;
                }
            }
            else
            {
                update = mHat / (MathF.Sqrt(sUsed / bc2) + eps);
            }

            float decay = options.DecoupledWeightDecay ? lr * (float)options.WeightDecay * p[i] : 0f;
            p[i] = p[i] - decay - lr * update;
        }
    }
}
