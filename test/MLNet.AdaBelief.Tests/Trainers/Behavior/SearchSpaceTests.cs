using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.SearchSpace;
using MLNet.AdaBelief.Tests.Data;

namespace MLNet.AdaBelief.Tests.Trainers.Behavior;

/// <summary>
/// The search space as AutoML reads it (Range, Choice and BooleanChoice attributes; options to and from JSON):
/// its default point is the default options, the default options map back into it, and every point trains a
/// sensible model on raw features. AutoML itself is not on the package feed, so its reading is reproduced here.
/// </summary>
[TestClass]
public sealed class SearchSpaceTests
{
    private const int RandomPoints = 4;

    public static IEnumerable<object[]> Types =>
    [
        [typeof(AdaBeliefRegressionTrainer.Options)],
        [typeof(AdaBeliefBinaryTrainer.Options)],
        [typeof(AdaBeliefMulticlassTrainer.Options)],
    ];

    [TestMethod]
    [DynamicData(nameof(Types))]
    public void DefaultPoint_IsTheDefaultOptions(Type type)
    {
        JsonObject defaults = Json(Activator.CreateInstance(type)!, type);

        foreach (Dimension dimension in Dimensions(type))
            Assert.AreEqual(Normalize(dimension.Default), Normalize(defaults[dimension.Name]), $"{type.Name}.{dimension.Name}");
    }

    [TestMethod]
    [DynamicData(nameof(Types))]
    public void DefaultOptions_MapIntoTheFeatureSpace(Type type)
    {
        // SearchSpace<T>.MappingToFeatureSpace(new T()) reads every dimension's value from the options' JSON.
        JsonObject defaults = Json(Activator.CreateInstance(type)!, type);

        foreach (Dimension dimension in Dimensions(type))
        {
            Assert.IsTrue(defaults.TryGetPropertyValue(dimension.Name, out JsonNode? value) && value is not null, $"{dimension.Name} is in the JSON of the defaults");
            Assert.IsTrue(dimension.Contains(value!), $"{dimension.Name} = {value} lies in its dimension");
        }
    }

    [TestMethod]
    public void EverySweptSetting_IsAProperty_AndNoFieldIsSwept()
    {
        Type[] attributes = [typeof(RangeAttribute), typeof(ChoiceAttribute), typeof(BooleanChoiceAttribute), typeof(NestOptionAttribute)];
        foreach (object[] row in Types)
        {
            var type = (Type)row[0];
            Assert.IsFalse(
                type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance).Any(f => f.GetCustomAttributes().Any(a => attributes.Contains(a.GetType()))),
                $"{type.Name}: a swept field");
            Assert.IsFalse(Dimensions(type).Any(d => d.Name is nameof(AdaBeliefTrainerOptionsBase.StandardizeFeatures) or nameof(AdaBeliefTrainerOptionsBase.NumberOfEpochs)),
                "settings that make useless models or ignore the data size are not swept");
        }
    }

    [TestMethod]
    public void Regression_EveryCornerAndASample_TrainASensibleModel() =>
        TrainEverywhere(
            typeof(AdaBeliefRegressionTrainer.Options),
            DataSets.Housing,
            (ml, data, options) => ml.Regression.Evaluate(ml.Regression.Trainers.AdaBelief((AdaBeliefRegressionTrainer.Options)options).Fit(data).Transform(data)).RSquared,
            minimum: 0.65);

    [TestMethod]
    public void Binary_EveryCornerAndASample_TrainASensibleModel() =>
        TrainEverywhere(
            typeof(AdaBeliefBinaryTrainer.Options),
            DataSets.BreastCancer,
            (ml, data, options) => ml.BinaryClassification.Evaluate(ml.BinaryClassification.Trainers.AdaBelief((AdaBeliefBinaryTrainer.Options)options).Fit(data).Transform(data)).AreaUnderRocCurve,
            minimum: 0.97);

    [TestMethod]
    public void Multiclass_EveryCornerAndASample_TrainASensibleModel() =>
        TrainEverywhere(
            typeof(AdaBeliefMulticlassTrainer.Options),
            DataSets.Iris,
            (ml, data, options) => ml.MulticlassClassification.Evaluate(ml.MulticlassClassification.Trainers.AdaBelief((AdaBeliefMulticlassTrainer.Options)options).Fit(data).Transform(data)).MacroAccuracy,
            minimum: 0.9);

    /// <summary>
    /// Trains at the lower corner (every dimension at its minimum or first choice), the upper corner, every choice of
    /// every multi-way choice, and a seeded random sample, each on the whole data set, and checks the metric on it.
    /// </summary>
    private static void TrainEverywhere(Type type, Func<MLContext, IDataView> load, Func<MLContext, IDataView, AdaBeliefTrainerOptionsBase, double> metric, double minimum)
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.Cache(load(ml));
        Dimension[] dimensions = Dimensions(type);
        JsonObject defaults = Json(Activator.CreateInstance(type)!, type);

        var points = new List<(string Name, Dictionary<string, JsonNode> Values)>
        {
            ("lower corner", dimensions.ToDictionary(d => d.Name, d => d.Lowest)),
            ("upper corner", dimensions.ToDictionary(d => d.Name, d => d.Highest)),
        };
        // Both values of every switch are in the corners; every other choice is tried with the rest at the defaults.
        foreach (Dimension choice in dimensions.Where(d => d.Choices is { Length: > 2 }))
        {
            foreach (JsonNode value in choice.Choices!)
                points.Add(($"{choice.Name} = {value}", new() { [choice.Name] = value.DeepClone() }));
        }

        var random = new Random(20261201);
        for (int i = 0; i < RandomPoints; i++)
            points.Add(($"random point {i}", dimensions.ToDictionary(d => d.Name, d => d.Sample(random))));

        var failures = new List<string>();
        foreach ((string name, Dictionary<string, JsonNode> values) in points)
        {
            var parameter = (JsonObject)defaults.DeepClone();
            foreach ((string key, JsonNode value) in values)
                parameter[key] = value.DeepClone();
            var options = (AdaBeliefTrainerOptionsBase)parameter.Deserialize(type)!;
            options.Seed = 1;

            double score;
            try
            {
                score = metric(ml, data, options);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException)
            {
                failures.Add($"{name}: {e.GetType().Name} {e.Message} at {parameter.ToJsonString()}");
                continue;
            }

            if (!(score >= minimum))
                failures.Add($"{name}: {score:F4} < {minimum} at {Describe(values)}");
        }

        Assert.IsEmpty(failures, string.Join(Environment.NewLine, failures));
    }

    private static string Describe(Dictionary<string, JsonNode> values) => string.Join(", ", values.Select(kv => $"{kv.Key}={kv.Value.ToJsonString()}"));

    private static JsonObject Json(object options, Type type) => JsonSerializer.SerializeToNode(options, type)!.AsObject();

    private static string Normalize(object? value) => value switch
    {
        JsonNode node => Normalize(node.GetValueKind() switch
        {
            JsonValueKind.Number => node.GetValue<double>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => node.GetValue<string>(),
        }),
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        int i => ((double)i).ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        float f => ((double)f).ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "null",
    };

    /// <summary>The dimensions of the search space, read from the attributes as AutoML reads them.</summary>
    private static Dimension[] Dimensions(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Property: p, Attribute: p.GetCustomAttributes().FirstOrDefault(a => a is RangeAttribute or ChoiceAttribute or BooleanChoiceAttribute)))
            .Where(x => x.Attribute is not null)
            .Select(x => x.Attribute switch
            {
                RangeAttribute r => Dimension.OfRange(x.Property.Name, r),
                ChoiceAttribute c => new Dimension(x.Property.Name, c.DefaultValue, [.. c.Candidates.Select(v => JsonValue.Create(v)!)], null),
                BooleanChoiceAttribute b => new Dimension(x.Property.Name, b.DefaultValue, [JsonValue.Create(false)!, JsonValue.Create(true)!], null),
                _ => throw new InvalidOperationException(),
            })
            .ToArray();

    /// <summary>One dimension: a choice of values, or a range (integer or real, uniform or log-uniform).</summary>
    private sealed record Dimension(string Name, object Default, JsonNode[]? Choices, RangeAttribute? Range)
    {
        public static Dimension OfRange(string name, RangeAttribute range) => new(name, range.Init, null, range);

        private bool IsInteger => Range!.Min is int;

        private double Min => Convert.ToDouble(Range!.Min, System.Globalization.CultureInfo.InvariantCulture);

        private double Max => Convert.ToDouble(Range!.Max, System.Globalization.CultureInfo.InvariantCulture);

        public JsonNode Lowest => Choices?[0].DeepClone() ?? Number(Min);

        public JsonNode Highest => Choices?[^1].DeepClone() ?? Number(Max);

        public JsonNode Sample(Random random)
        {
            if (Choices is not null)
                return Choices[random.Next(Choices.Length)].DeepClone();
            double u = random.NextDouble();
            double value = Range!.LogBase && Min > 0 ? Math.Exp(Math.Log(Min) + u * (Math.Log(Max) - Math.Log(Min))) : Min + u * (Max - Min);
            return Number(value);
        }

        public bool Contains(JsonNode value)
        {
            if (Choices is not null)
                return Choices.Any(c => JsonNode.DeepEquals(c, value));
            double v = value.GetValue<double>();
            return v >= Min && v <= Max;
        }

        private JsonValue Number(double value) => IsInteger ? JsonValue.Create((int)Math.Round(value)) : JsonValue.Create(value);
    }
}
