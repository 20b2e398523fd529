using System.Collections.ObjectModel;
using System.Globalization;
using System.Reflection;

namespace HyperparameterSweep;

/// <summary>
/// One option that carries a <c>Microsoft.ML.SearchSpace</c> attribute, and the values AutoML would draw for it: a
/// range (<c>[Range(min, max, init, logBase)]</c>, of int, float or double), a list of candidates
/// (<c>[Choice(...)]</c>) or true/false (<c>[BooleanChoice]</c>).
/// </summary>
/// <remarks>
/// The attributes are read from their constructor arguments (<see cref="CustomAttributeData"/>), which is what the
/// author of an options class writes, so the sweep follows whatever attributes the options carry, without a list of
/// option names of its own.
/// </remarks>
internal sealed class SweptSetting
{
    private const string SearchSpaceNamespace = "Microsoft.ML.SearchSpace";

    private SweptSetting(PropertyInfo property, string kind)
    {
        Property = property;
        Kind = kind;
    }

    /// <summary>The option.</summary>
    public PropertyInfo Property { get; }

    /// <summary>"Range", "Choice" or "BooleanChoice".</summary>
    public string Kind { get; }

    /// <summary>The range's bounds and scale (for a range).</summary>
    public double Min { get; private init; }

    /// <inheritdoc cref="Min"/>
    public double Max { get; private init; }

    /// <inheritdoc cref="Min"/>
    public bool LogScale { get; private init; }

    /// <summary>Whether the range holds integers.</summary>
    public bool IsInteger { get; private init; }

    /// <summary>The candidates (for a choice; true and false for a Boolean choice).</summary>
    public IReadOnlyList<object> Candidates { get; private init; } = [];

    /// <summary>The settings of <paramref name="optionsType"/> that carry a search-space attribute, in declaration order.</summary>
    public static IReadOnlyList<SweptSetting> Read(Type optionsType)
    {
        var settings = new List<SweptSetting>();
        foreach (PropertyInfo property in optionsType.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken))
        {
            if (!property.CanWrite)
                continue;
            foreach (CustomAttributeData attribute in property.GetCustomAttributesData())
            {
                if (attribute.AttributeType.Namespace != SearchSpaceNamespace)
                    continue;
                SweptSetting? setting = attribute.AttributeType.Name switch
                {
                    "RangeAttribute" => FromRange(property, attribute.ConstructorArguments),
                    "ChoiceAttribute" => FromChoice(property, attribute.ConstructorArguments),
                    "BooleanChoiceAttribute" => new SweptSetting(property, "BooleanChoice") { Candidates = [true, false] },
                    _ => null,
                };
                if (setting is not null)
                    settings.Add(setting);
            }
        }
        return settings;
    }

    /// <summary>Draws a value: uniformly over a range (of the logarithm, for a log-scale range) or among the candidates.</summary>
    public object Draw(Random random)
    {
        if (Kind != "Range")
            return Candidates[random.Next(Candidates.Count)];
        double value = LogScale && Min > 0
            ? Math.Exp(Math.Log(Min) + random.NextDouble() * (Math.Log(IsInteger ? Max + 1 : Max) - Math.Log(Min)))
            : Min + random.NextDouble() * ((IsInteger ? Max + 1 : Max) - Min);
        return IsInteger ? (object)(int)Math.Min(Math.Floor(value), Max) : value;
    }

    /// <summary>Sets the option on <paramref name="options"/> to <paramref name="value"/>, converted to the option's type.</summary>
    public void Apply(object options, object value)
    {
        Type target = Nullable.GetUnderlyingType(Property.PropertyType) ?? Property.PropertyType;
        object converted = target.IsEnum
            ? Enum.Parse(target, Convert.ToString(value, CultureInfo.InvariantCulture)!)
            : Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
        Property.SetValue(options, converted);
    }

    /// <summary>How the search space reads, for the table of settings.</summary>
    public string Describe() => Kind switch
    {
        "Range" => $"{(IsInteger ? "integer" : "real")} in [{Min.ToString("G6", CultureInfo.InvariantCulture)}, {Max.ToString("G6", CultureInfo.InvariantCulture)}]{(LogScale ? ", log scale" : "")}",
        "BooleanChoice" => "true or false",
        _ => "one of " + string.Join(", ", Candidates.Select(c => Convert.ToString(c, CultureInfo.InvariantCulture))),
    };

    // Range(min, max, logBase) or Range(min, max, init, logBase), with min, max and init all int, float or double.
    private static SweptSetting FromRange(PropertyInfo property, IList<CustomAttributeTypedArgument> args) => new(property, "Range")
    {
        Min = Convert.ToDouble(args[0].Value, CultureInfo.InvariantCulture),
        Max = Convert.ToDouble(args[1].Value, CultureInfo.InvariantCulture),
        LogScale = args[^1].Value is true,
        IsInteger = args[0].ArgumentType == typeof(int),
    };

    // Choice(object[] candidates) or Choice(object[] candidates, object defaultValue).
    private static SweptSetting FromChoice(PropertyInfo property, IList<CustomAttributeTypedArgument> args)
    {
        var candidates = (ReadOnlyCollection<CustomAttributeTypedArgument>)args[0].Value!;
        return new SweptSetting(property, "Choice") { Candidates = candidates.Select(c => c.Value!).ToArray() };
    }
}
