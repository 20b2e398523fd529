namespace MLNet.AdaBelief.Tests.Schedules;

/// <summary>Assertions shared by the schedule tests.</summary>
internal static class RateAssert
{
    /// <summary>Relative tolerance: a few ulps of rounding, far below any scheduling difference.</summary>
    private const double RelativeTolerance = 1e-12;

    /// <summary>Absolute floor so that expected zeros tolerate cos(π/2)-sized rounding (≈ 1e-17).</summary>
    private const double AbsoluteFloor = 1e-18;

    public static void Close(double expected, double actual, string? message = null) =>
        Assert.AreEqual(expected, actual, RelativeTolerance * Math.Abs(expected) + AbsoluteFloor, message);

    /// <summary>Checks the schedule at each count against the expected rate.</summary>
    public static void Values(LearningRateSchedule schedule, params (long Count, double Expected)[] points)
    {
        foreach (var (count, expected) in points)
            Close(expected, schedule.GetLearningRate(count), $"{schedule} at count {count}");
    }

    /// <summary>Checks a sequence of rates element by element with the relative tolerance.</summary>
    public static void Rates(IEnumerable<double> actual, params double[] expected)
    {
        var values = actual.ToArray();
        Assert.HasCount(expected.Length, values);
        for (var i = 0; i < expected.Length; i++)
            Close(expected[i], values[i], $"element {i}");
    }

    /// <summary>Checks a sequence for exact equality.</summary>
    public static void Sequence<T>(IEnumerable<T> actual, params T[] expected) =>
        CollectionAssert.AreEqual(expected, actual.ToArray());

    /// <summary>
    /// Checks that building a schedule throws <see cref="ArgumentOutOfRangeException"/> naming
    /// <paramref name="paramName"/> with <paramref name="valueText"/> in its message.
    /// </summary>
    public static void OutOfRange(string paramName, string valueText, Func<object> construct)
    {
        var exception = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => construct());
        Assert.AreEqual(paramName, exception.ParamName);
        Assert.Contains(valueText, exception.Message);
    }
}
