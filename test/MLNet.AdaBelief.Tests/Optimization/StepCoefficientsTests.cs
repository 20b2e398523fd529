using AdaBelief.Optimization.Kernels;

namespace MLNet.AdaBelief.Tests.Optimization;

/// <summary>
/// The per-step coefficients skip the powers of a saturated β and reuse the last coefficients once both are saturated;
/// both shortcuts must give the full computation's coefficients, bit for bit.
/// </summary>
[TestClass]
public sealed class StepCoefficientsTests
{
    [TestMethod]
    [DataRow(0.9, 0.999, false, false)]
    [DataRow(0.9, 0.999, true, false)]
    [DataRow(0.0, 0.99, false, false)]
    [DataRow(0.5, 0.9, true, true)]
    [DataRow(0.95, 0.9999, false, true)]
    public void Shortcuts_GiveTheFullComputationsCoefficients(double beta1, double beta2, bool nesterov, bool rectify)
    {
        var options = new AdaBeliefOptions { Beta1 = beta1, Beta2 = beta2, Nesterov = nesterov, Rectify = rectify, WeightDecay = 0.01 };
        var factory = new StepCoefficientsFactory(options);
        long last = Math.Min(400_000, 3 * StepCoefficientsFactory.SaturationStep(beta2));

        for (long step = 1; step <= last; step += step < 2000 ? 1 : 7)
        {
            // A rate that stays put for a while, then moves, as a schedule does.
            double rate = 1e-3 * (1 + (step / 5000 % 3));
            StepCoefficients fast = factory.Create(step, rate, clipScale: 1, out bool fastDenominator);
            StepCoefficients full = StepCoefficientsFactory.Compute(options, step, rate, 1, beta1Saturated: false, beta2Saturated: false, out bool fullDenominator);

            Assert.AreEqual(full, fast, $"step {step}");
            Assert.AreEqual(fullDenominator, fastDenominator, $"step {step}");
        }
    }

    [TestMethod]
    public void SaturationStep_IsTheFirstStepWhoseCorrectionIsOne()
    {
        foreach (double beta in new[] { 0.5, 0.9, 0.999, 0.9999 })
        {
            long t = StepCoefficientsFactory.SaturationStep(beta);

            Assert.AreEqual(1.0, 1 - Math.Pow(beta, t), $"β {beta} at {t}");
            Assert.AreNotEqual(1.0, 1 - Math.Pow(beta, t - 1), $"β {beta} at {t - 1}");
        }

        Assert.AreEqual(1L, StepCoefficientsFactory.SaturationStep(0));
    }
}
