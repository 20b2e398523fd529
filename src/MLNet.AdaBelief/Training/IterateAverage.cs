namespace MLNet.AdaBelief.Training;

/// <summary>
/// The running mean of the parameters at the end of each epoch from <see cref="FirstEpoch"/> on (tail averaging, as
/// Polyak–Ruppert averaging and the averaged perceptron do with every update): the noise of the last steps averages
/// out, and the mean sits nearer the middle of the region the iterates wander in.
/// </summary>
/// <remarks>
/// Once per epoch rather than once per step: the cost is one pass over the parameters per epoch, nothing per batch,
/// so a sparse batch still touches only its own coordinates. Epochs before <see cref="FirstEpoch"/> are left out, since
/// the early iterates are far from the optimum. The mean is updated in place (mean += (θ − mean)/k), in float, in a
/// fixed order, so the same iterates give the same bits.
/// </remarks>
internal sealed class IterateAverage
{
    private readonly float[] _weights;
    private readonly float[] _biases;
    private int _count;

    /// <param name="weightCount">The number of weights.</param>
    /// <param name="biasCount">The number of biases.</param>
    /// <param name="firstEpoch">The first epoch (from 1) whose end-of-epoch parameters enter the mean.</param>
    public IterateAverage(int weightCount, int biasCount, int firstEpoch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(firstEpoch, 1);
        _weights = new float[weightCount];
        _biases = new float[biasCount];
        FirstEpoch = firstEpoch;
    }

    /// <summary>The first epoch whose parameters enter the mean.</summary>
    public int FirstEpoch { get; }

    /// <summary>The number of epochs averaged so far.</summary>
    public int Count => _count;

    /// <summary>The mean of the weights averaged so far.</summary>
    public float[] Weights => _weights;

    /// <summary>The mean of the biases averaged so far.</summary>
    public float[] Biases => _biases;

    /// <summary>
    /// The epoch when training starts averaging for a run of <paramref name="epochs"/> epochs: the second half
    /// (epoch ⌊epochs/2⌋ + 1 on), so a one-epoch run keeps its last iterate.
    /// </summary>
    public static int TailStart(int epochs) => epochs / 2 + 1;

    /// <summary>Adds the parameters at the end of <paramref name="epoch"/>, if it is one to average; returns whether it was.</summary>
    public bool Add(int epoch, ReadOnlySpan<float> weights, ReadOnlySpan<float> biases)
    {
        if (epoch < FirstEpoch)
            return false;
        _count++;
        Accumulate(_weights, weights, _count);
        Accumulate(_biases, biases, _count);
        return true;
    }

    private static void Accumulate(Span<float> mean, ReadOnlySpan<float> value, int count)
    {
        if (count == 1)
        {
            value.CopyTo(mean);
            return;
        }

        // mean += (value − mean) / count, element-wise in float.
        float step = 1f / count;
        for (int i = 0; i < mean.Length; i++)
            mean[i] += (value[i] - mean[i]) * step;
    }
}
