using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.ML;
using Microsoft.ML.SearchSpace;

namespace MLNet.AdaBelief.Tests.Trainers.Behavior;

/// <summary>
/// AutoML builds a search space from the Range/Choice/BooleanChoice attributes of an options type, samples a
/// parameter, and turns it into options through System.Text.Json. These tests check that path without the AutoML
/// package: swept settings are settable properties whose type takes the sampled values, options round-trip through
/// JSON, and the corners of every range make a valid trainer.
/// </summary>
[TestClass]
public sealed class AutoMLReadinessTests
{
    private static readonly Type[] OptionTypes =
    [
        typeof(AdaBeliefRegressionTrainer.Options),
        typeof(AdaBeliefBinaryTrainer.Options),
        typeof(AdaBeliefMulticlassTrainer.Options),
    ];

    private static readonly Type[] SearchSpaceAttributes = [typeof(RangeAttribute), typeof(ChoiceAttribute), typeof(BooleanChoiceAttribute)];

    private static readonly MLContext Context = new(seed: 1);

    public static IEnumerable<object[]> Types => OptionTypes.Select(t => new object[] { t });

    [TestMethod]
    [DynamicData(nameof(Types))]
    public void OptionsHaveNoPublicFields(Type type)
    {
        FieldInfo[] fields = type.GetFields(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.FlattenHierarchy);

        Assert.IsEmpty(fields, string.Join(", ", fields.Select(f => f.Name)));
    }

    [TestMethod]
    [DynamicData(nameof(Types))]
    public void SweptSettings_ArePublicSettableProperties_OfATypeTheirRangeFits(Type type)
    {
        MemberInfo[] swept = type.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
            .Where(m => m.GetCustomAttributes().Any(a => SearchSpaceAttributes.Contains(a.GetType())))
            .ToArray();
        Assert.IsGreaterThanOrEqualTo(10, swept.Length, "the swept settings");

        foreach (MemberInfo member in swept)
        {
            Assert.IsInstanceOfType<PropertyInfo>(member, member.Name);
            var property = (PropertyInfo)member;
            Assert.IsTrue(property.GetMethod?.IsPublic == true && property.SetMethod?.IsPublic == true, $"{member.Name} has a public getter and setter");
            Assert.IsNull(property.GetCustomAttribute<JsonIgnoreAttribute>(), $"{member.Name} is swept, so it must serialize");
            Type valueType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            foreach (object value in SampledValues(property))
            {
                // An enum is swept as a choice of its names, which System.Text.Json reads through the enum's converter.
                Type expected = valueType.IsEnum ? typeof(string) : valueType;
                Assert.AreEqual(expected, value.GetType(), $"{member.Name}: its range yields {value.GetType().Name} values");
            }
        }
    }

    [TestMethod]
    [DynamicData(nameof(Types))]
    public void SampledParameters_DeserializeIntoOptions_AndMakeValidTrainers(Type type)
    {
        PropertyInfo[] swept = Swept(type);
        // The lower corner, the upper corner, and the attributes' initial values, as AutoML's tuners start from.
        foreach (int corner in new[] { 0, 1, 2 })
        {
            var parameter = new JsonObject();
            foreach (PropertyInfo property in swept)
                parameter[property.Name] = JsonValue.Create(SampledValues(property)[corner]);

            var options = (AdaBeliefTrainerOptionsBase)parameter.Deserialize(type)!;

            foreach (PropertyInfo property in swept)
            {
                object expected = SampledValues(property)[corner];
                object? actual = property.GetValue(options);
                Assert.AreEqual(expected, actual is Enum ? actual.ToString() : actual, $"{type.Name}.{property.Name}, corner {corner}");
            }
            Create(options);
        }
    }

    [TestMethod]
    [DynamicData(nameof(Types))]
    public void Options_RoundTripThroughSystemTextJson(Type type)
    {
        var options = (AdaBeliefTrainerOptionsBase)Activator.CreateInstance(type)!;
        PropertyInfo[] serialized = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod?.IsPublic == true && p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .ToArray();
        foreach (PropertyInfo property in serialized)
        {
            object? value = NonDefault(property, property.GetValue(options));
            property.SetValue(options, value);
            Assert.AreNotEqual(property.GetValue(Activator.CreateInstance(type)), value, $"{property.Name} is set to a value other than its default");
        }

        string json = JsonSerializer.Serialize(options, type);
        object copy = JsonSerializer.Deserialize(json, type)!;

        foreach (PropertyInfo property in serialized)
            Assert.AreEqual(property.GetValue(options), property.GetValue(copy), $"{property.Name} after {json}");
    }

    [TestMethod]
    public void NonSerializableSettings_AreIgnoredByJson()
    {
        var options = new AdaBeliefRegressionTrainer.Options
        {
            LearningRateSchedule = new ConstantLR(0.1, 0.5, 10),
            ProgressCallback = _ => { },
        };

        string json = JsonSerializer.Serialize(options);

        Assert.DoesNotContain(nameof(options.LearningRateSchedule) + "\"", json);
        Assert.DoesNotContain(nameof(options.ProgressCallback), json);
    }

    private static PropertyInfo[] Swept(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttributes().Any(a => SearchSpaceAttributes.Contains(a.GetType())))
            .ToArray();

    /// <summary>The values AutoML can give a swept property: its range's minimum, maximum and initial value (or the choices).</summary>
    private static object[] SampledValues(PropertyInfo property)
    {
        CustomAttributeData attribute = property.GetCustomAttributesData().Single(a => SearchSpaceAttributes.Contains(a.AttributeType));
        IList<CustomAttributeTypedArgument> arguments = attribute.ConstructorArguments;
        if (attribute.AttributeType == typeof(BooleanChoiceAttribute))
            return [false, true, arguments.Count > 0 ? arguments[0].Value! : true];
        if (attribute.AttributeType == typeof(ChoiceAttribute))
        {
            object[] candidates = ((IEnumerable<CustomAttributeTypedArgument>)arguments[0].Value!).Select(a => a.Value!).ToArray();
            return [candidates[0], candidates[^1], candidates[0]];
        }

        // Range(min, max[, init], log)
        object min = arguments[0].Value!, max = arguments[1].Value!;
        object init = arguments.Count == 4 ? arguments[2].Value! : min;
        return [min, max, init];
    }

    private static object? NonDefault(PropertyInfo property, object? current)
    {
        Type type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (type == typeof(string))
            return property.Name + "Column";
        if (type == typeof(bool))
            return !(bool)(current ?? false);
        if (type.IsEnum)
            return Enum.GetValues(type).Cast<object>().First(v => !v.Equals(current));
        if (type == typeof(int))
            return current is int i ? i + 3 : 17;
        if (type == typeof(long))
            return current is long l ? l + 12345 : 12345L;
        if (type == typeof(double))
            return current is double d && d != 0 ? d * 0.5 : 0.25;
        Assert.Fail($"{property.Name}: no test value for {type.Name}");
        return null;
    }

    private static void Create(AdaBeliefTrainerOptionsBase options)
    {
        switch (options)
        {
            case AdaBeliefRegressionTrainer.Options o:
                Context.Regression.Trainers.AdaBelief(o);
                break;
            case AdaBeliefBinaryTrainer.Options o:
                Context.BinaryClassification.Trainers.AdaBelief(o);
                break;
            case AdaBeliefMulticlassTrainer.Options o:
                Context.MulticlassClassification.Trainers.AdaBelief(o);
                break;
            default:
                Assert.Fail(options.GetType().Name);
                break;
        }
    }
}
