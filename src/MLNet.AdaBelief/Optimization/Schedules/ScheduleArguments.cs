using System.Globalization;

namespace MLNet.AdaBelief;

/// <summary>Argument checks shared by the schedules, with messages that name the argument and the rule.</summary>
internal static class ScheduleArguments
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

    public static void RequireCount(long count)
    {
        if (count < 0)
            throw OutOfRange(nameof(count), count, "must not be negative");
    }

    public static ArgumentOutOfRangeException OutOfRange(string name, object value, string rule) =>
        new(name, value, string.Create(CultureInfo.InvariantCulture, $"{name} {rule}; it was {value}."));
}
