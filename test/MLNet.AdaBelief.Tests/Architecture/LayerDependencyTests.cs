using Microsoft.ML;
using MLNet.AdaBelief.Training;

namespace MLNet.AdaBelief.Tests.Architecture;

/// <summary>
/// The layers use only the layer below: the optimizer core (AdaBelief.Optimization) knows nothing of ML.NET or the
/// trainers; the training layer (MLNet.AdaBelief.Training) uses the core but no ML.NET type and nothing of the ML.NET
/// face (MLNet.AdaBelief, MLNet.AdaBelief.Trainers.*). Checked on the compiled assemblies, method bodies included.
/// </summary>
/// <remarks>
/// One exception, listed by name in <see cref="TrainingVocabulary"/>: plain public data types that the training
/// layer produces or reads and users meet in the face's options, so they carry the face's namespace. Each must be a
/// leaf (it uses no ML.NET type and no other face type), which keeps the exemption from hiding a real dependency.
/// </remarks>
[TestClass]
public sealed class LayerDependencyTests
{
    private const string CoreNamespace = "AdaBelief.Optimization";
    private const string TrainingNamespace = "MLNet.AdaBelief.Training";
    private const string FaceNamespace = "MLNet.AdaBelief";
    private const string FaceSubNamespace = "MLNet.AdaBelief.Trainers";

    /// <summary>Training-layer data types published in the face's namespace for users (see the remarks).</summary>
    private static readonly string[] TrainingVocabulary =
    [
        typeof(BiasInitialization).FullName!,
        typeof(TrainingProgress).FullName!,
    ];

    private static readonly string CorePath = typeof(AdaBeliefOptimizer).Assembly.Location;
    private static readonly string TrainersPath = typeof(AdaBeliefRegressionTrainer).Assembly.Location;

    [TestMethod]
    public void TheCoreAssemblyReferencesNeitherMicrosoftMLNorTheTrainers()
    {
        string[] references = typeof(AdaBeliefOptimizer).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();
        string[] forbidden = references.Where(name => IsMicrosoftML(name) || name.StartsWith(FaceNamespace, StringComparison.Ordinal)).ToArray();
        Assert.IsEmpty(forbidden, $"AdaBelief.Optimization references {string.Join(", ", forbidden)}.");

        TypeDependency[] uses = TypeDependencies.Read(CorePath)
            .Where(d => IsMicrosoftML(d.UsedNamespace) || IsMicrosoftML(d.UsedAssembly) || InNamespace(d.UsedNamespace, FaceNamespace))
            .ToArray();
        Assert.IsEmpty(uses, "The optimizer core must not use ML.NET or the trainers:\n" + string.Join("\n", uses.Take(20)));
    }

    [TestMethod]
    public void EveryCoreTypeIsInTheCoreNamespace()
    {
        string[] outside = TypeDependencies.TopLevelTypes(CorePath)
            .Where(t => !t.CompilerEmbedded && !InNamespace(t.Namespace, CoreNamespace))
            .Select(t => t.Type)
            .ToArray();
        Assert.IsEmpty(outside, $"Types of AdaBelief.Optimization outside its namespace: {string.Join(", ", outside)}.");
    }

    [TestMethod]
    public void TheTrainingLayerUsesNoMicrosoftMLTypeAndNothingOfTheMLNetFace()
    {
        TypeDependency[] training = TypeDependencies.Read(TrainersPath)
            .Where(d => d.User.StartsWith(TrainingNamespace + ".", StringComparison.Ordinal))
            .ToArray();
        Assert.IsNotEmpty(training, $"No type of {TrainingNamespace} was found in {TrainersPath}.");

        TypeDependency[] upward = training
            .Where(d => IsMicrosoftML(d.UsedNamespace) || IsMicrosoftML(d.UsedAssembly)
                || (IsFace(d.UsedNamespace) && !TrainingVocabulary.Contains(TopLevelName(d.UsedType))))
            .ToArray();
        Assert.IsEmpty(upward, $"{TrainingNamespace} must use only itself, the optimizer core and the base library:\n"
            + string.Join("\n", upward.Take(20)));
    }

    [TestMethod]
    public void TheTrainingVocabularyTypesUseNoMicrosoftMLTypeAndNoOtherFaceType()
    {
        TypeDependency[] uses = TypeDependencies.Read(TrainersPath)
            .Where(d => TrainingVocabulary.Contains(d.User))
            .ToArray();
        CollectionAssert.IsSubsetOf(TrainingVocabulary, uses.Select(d => d.User).Distinct().ToArray(),
            "A listed vocabulary type was not found in the trainers' assembly.");

        TypeDependency[] upward = uses
            .Where(d => IsMicrosoftML(d.UsedNamespace) || IsMicrosoftML(d.UsedAssembly)
                || (IsFace(d.UsedNamespace) && TopLevelName(d.UsedType) != d.User))
            .ToArray();
        Assert.IsEmpty(upward, "The training layer's vocabulary types must be leaves:\n" + string.Join("\n", upward.Take(20)));
    }

    [TestMethod]
    public void EveryTrainersTypeIsInTheTrainingLayerOrTheMLNetFace()
    {
        string[] outside = TypeDependencies.TopLevelTypes(TrainersPath)
            .Where(t => !t.CompilerEmbedded && !InNamespace(t.Namespace, TrainingNamespace) && !IsFace(t.Namespace))
            .Select(t => t.Type)
            .ToArray();
        Assert.IsEmpty(outside, $"Types of MLNet.AdaBelief in no layer's namespace: {string.Join(", ", outside)}.");
    }

    [TestMethod]
    public void TheReaderSeesATypeUsedOnlyInsideAMethodBody()
    {
        // BodyOnlyUse mentions MLContext nowhere but in its method body; a reader that skipped bodies would let a
        // layer violation through.
        string user = typeof(BodyOnlyUse).FullName!;
        TypeDependency[] uses = TypeDependencies.Read(typeof(BodyOnlyUse).Assembly.Location)
            .Where(d => d.User == user)
            .ToArray();

        Assert.IsTrue(uses.Any(d => d.UsedType == typeof(MLContext).FullName && d.Where.StartsWith("the body of", StringComparison.Ordinal)),
            "Found: " + string.Join("; ", uses.Select(d => d.ToString())));
        Assert.IsTrue(uses.Any(d => d.UsedType == typeof(LinearModelWeights).FullName), "A type in a generic argument was missed.");
        Assert.IsTrue(uses.Any(d => d.UsedType.StartsWith(typeof(AdaBeliefRegressionTrainer).FullName!, StringComparison.Ordinal)),
            "A type used by a lambda in a nested compiler-generated class was missed.");
    }

    /// <summary>The outermost type of a Cecil full name ("Outer/Nested", "Generic`1&lt;T&gt;").</summary>
    private static string TopLevelName(string fullName) => fullName.Split('/', '<')[0];

    private static bool IsMicrosoftML(string name) =>
        name == "Microsoft.ML" || name.StartsWith("Microsoft.ML.", StringComparison.Ordinal);

    private static bool IsFace(string ns) =>
        ns == FaceNamespace || InNamespace(ns, FaceSubNamespace);

    private static bool InNamespace(string ns, string layer) =>
        ns == layer || ns.StartsWith(layer + ".", StringComparison.Ordinal);
}

/// <summary>Uses ML.NET and the trainers only inside method bodies (the dependency reader's own test subject).</summary>
internal static class BodyOnlyUse
{
    public static object Create() => new MLContext(seed: 1);

    public static int Count() => new List<LinearModelWeights>().Count;

    public static Func<object, bool> Check() => o => o is AdaBeliefRegressionTrainer;
}
