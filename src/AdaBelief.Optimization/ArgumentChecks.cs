using System.Globalization;

namespace AdaBelief.Optimization;

/// <summary>
/// Argument checks shared by the schedules, the optimizer's options and the trainers' options: each throws
/// <see cref="ArgumentOutOfRangeException"/> with a message that names the argument, the rule and the value.
/// </summary>
internal static class ArgumentChecks
{
    public static void RequireNonNegative(double value, string name)
    {
        if (!(value >= 0) || double.IsInfinity(value))
            throw OutOfRange(name, value, "must be finite and not negative");
    }

    public static void RequirePositive(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value))
            throw OutOfRange(name, value, "must be finite and positive");
    }

    public static void RequirePositive(long value, string name)
    {
        if (value <= 0)
            throw OutOfRange(name, value, "must be positive");
    }

    public static void RequireNonNegative(long value, string name)
    {
        if (value < 0)
            throw OutOfRange(name, value, "must not be negative");
    }

    /// <summary>Requires <paramref name="value"/> in [<paramref name="low"/>, <paramref name="high"/>].</summary>
    public static void RequireInClosedRange(double value, double low, double high, string name)
    {
        if (!(value >= low && value <= high))
            throw OutOfRange(name, value, string.Create(CultureInfo.InvariantCulture, $"must be in [{low}, {high}]"));
    }

    /// <summary>Requires <paramref name="value"/> in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static void RequireInHalfOpenRange(double value, double low, double high, string name)
    {
        if (!(value >= low && value < high))
            throw OutOfRange(name, value, string.Create(CultureInfo.InvariantCulture, $"must be in [{low}, {high})"));
    }

    /// <summary>Requires <paramref name="value"/> in (<paramref name="low"/>, <paramref name="high"/>].</summary>
    public static void RequireInLeftOpenRange(double value, double low, double high, string name)
    {
        if (!(value > low && value <= high))
            throw OutOfRange(name, value, string.Create(CultureInfo.InvariantCulture, $"must be in ({low}, {high}]"));
    }

    /// <summary>Requires <paramref name="value"/> in (<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static void RequireInOpenRange(double value, double low, double high, string name)
    {
        if (!(value > low && value < high))
            throw OutOfRange(name, value, string.Create(CultureInfo.InvariantCulture, $"must be in ({low}, {high})"));
    }

    public static void RequireAtLeast(long value, long minimum, string name)
    {
        if (value < minimum)
            throw OutOfRange(name, value, string.Create(CultureInfo.InvariantCulture, $"must be at least {minimum}"));
    }

    public static void RequireDefined<TEnum>(TEnum value, string name)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
            throw OutOfRange(name, value, $"must be one of {string.Join(", ", Enum.GetNames<TEnum>())}");
    }

    /// <summary>Copies a caller's sequence, so later changes to it cannot reach the schedule.</summary>
    public static T[] CopyOf<T>(IEnumerable<T>? items, string name)
    {
        ArgumentNullException.ThrowIfNull(items, name);
        return [.. items];
    }

    /// <summary>Copies a caller's sequence and requires at least one element.</summary>
    public static T[] NonEmptyCopyOf<T>(IEnumerable<T>? items, string name)
    {
        var copy = CopyOf(items, name);
        if (copy.Length == 0)
            throw new ArgumentException($"{name} must not be empty.", name);
        return copy;
    }

    /// <summary>Requires every element at least <paramref name="minimum"/> and each greater than the one before.</summary>
    public static void RequireStrictlyIncreasing(long[] values, long minimum, string name)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] < minimum)
                throw OutOfRangeElement(name, i, values[i], string.Create(CultureInfo.InvariantCulture, $"must be at least {minimum}"));
            if (i > 0 && values[i] <= values[i - 1])
                throw OutOfRangeElement(name, i, values[i], string.Create(CultureInfo.InvariantCulture, $"must be greater than {name}[{i - 1}] = {values[i - 1]}"));
        }
    }

    /// <summary>
    /// Rejects <see cref="ReduceLROnPlateau"/> inside a composite: its rate follows reported metrics, not the counter,
    /// so a composite could not compute it (PyTorch refuses it in SequentialLR and ChainedScheduler too).
    /// </summary>
    public static void RequireNoPlateau(LearningRateSchedule[] schedules, string name)
    {
        for (var i = 0; i < schedules.Length; i++)
        {
            if (schedules[i] is null)
                throw new ArgumentException($"{name}[{i}] is null.", name);
            if (schedules[i] is ReduceLROnPlateau)
                throw new ArgumentException(
                    $"{name}[{i}] is a ReduceLROnPlateau, which follows reported metrics rather than the count and can only be used on its own.",
                    name);
        }
    }

    /// <summary>Number of elements of the sorted <paramref name="sorted"/> that are ≤ <paramref name="count"/> (Python's bisect_right).</summary>
    public static int CountAtMost(long[] sorted, long count)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var middle = low + ((high - low) >> 1);
            if (sorted[middle] <= count)
                low = middle + 1;
            else
                high = middle;
        }

        return low;
    }

    public static void RequireCount(long count)
    {
        if (count < 0)
            throw OutOfRange(nameof(count), count, "must not be negative");
    }

    public static ArgumentOutOfRangeException OutOfRangeElement(string name, int index, object value, string rule) =>
        new(name, value, string.Create(CultureInfo.InvariantCulture, $"{name}[{index}] {rule}; it was {value}."));

    public static ArgumentOutOfRangeException OutOfRange(string name, object value, string rule) =>
        new(name, value, string.Create(CultureInfo.InvariantCulture, $"{name} {rule}; it was {value}."));
}
