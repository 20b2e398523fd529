using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;
using MLNet.AdaBelief.Trainers.Interop;

namespace MLNet.AdaBelief.Tests.Trainers.Interop;

[TestClass]
public sealed class MLNetModelFactoryTests
{
    [TestMethod]
    public void EveryReflectedMemberResolves()
    {
        IReadOnlyList<MemberInfo> members = MLNetModelFactory.EnsureResolved();

        Assert.HasCount(11, members);
        foreach (MemberInfo member in members)
        {
            Assert.IsNotNull(member);
        }

        string[] declaringTypes = members
            .Select(m => m.DeclaringType!)
            .Select(t => t.IsGenericType ? t.GetGenericTypeDefinition().FullName! : t.FullName!)
            .ToArray();
        Assert.Contains("Microsoft.ML.Calibrators.ParameterMixingCalibratedModelParameters`2", declaringTypes);
        Assert.Contains("Microsoft.ML.Data.IInternalCatalog", declaringTypes);
        Assert.Contains("Microsoft.ML.TrainerInfo", declaringTypes);
    }

    [TestMethod]
    public void TrainerInfoCarriesTheFlagsGiven()
    {
        TrainerInfo info = MLNetModelFactory.CreateTrainerInfo(
            normalization: false, calibration: true, caching: false, supportValid: true, supportIncrementalTrain: true);

        Assert.IsFalse(info.NeedNormalization);
        Assert.IsFalse(info.WantCaching);
        TrainerInfo other = MLNetModelFactory.CreateTrainerInfo(
            normalization: true, calibration: false, caching: true, supportValid: false, supportIncrementalTrain: false);
        Assert.IsTrue(other.NeedNormalization);
        Assert.IsTrue(other.WantCaching);
    }

    [TestMethod]
    public void AMissingMemberIsNamedWithTheLoadedMicrosoftMLVersion()
    {
        var error = Assert.ThrowsExactly<InvalidOperationException>(
            () => MLNetModelFactory.FindConstructor(typeof(LinearRegressionModelParameters), typeof(IHostEnvironment), typeof(string)));

        StringAssert.Contains(error.Message, "LinearRegressionModelParameters(IHostEnvironment, String)");
        StringAssert.Contains(error.Message, typeof(MLContext).Assembly.GetName().Version!.ToString());
        StringAssert.Contains(error.Message, "tested with Microsoft.ML " + MLNetModelFactory.TestedMicrosoftMLVersions);
        StringAssert.Matches(MLNetModelFactory.TestedMicrosoftMLVersions, new Regex(@"^\d+\.\d+\.\d+ to \d+\.\d+\.\d+$"));
    }

    [TestMethod]
    public void TheEnvironmentOfEachTrainerCatalogIsTheContextsEnvironment()
    {
        var mlContext = new MLContext(seed: 0);
        var messages = new List<string>();
        mlContext.Log += (_, e) => messages.Add(e.Message);

        object[] catalogs =
        [
            mlContext.Regression.Trainers,
            mlContext.BinaryClassification.Trainers,
            mlContext.MulticlassClassification.Trainers,
        ];

        foreach (object catalog in catalogs)
        {
            IHostEnvironment env = MLNetModelFactory.GetEnvironment(catalog);
            string probe = "probe from " + catalog.GetType().Name;
            using (IChannel channel = env.Register("InteropTest").Start("Probe"))
            {
                channel.Info(MessageSensitivity.None, probe);
            }

            Assert.IsTrue(messages.Exists(m => m.Contains(probe, StringComparison.Ordinal)), $"{probe} did not reach mlContext.Log");
        }
    }

    [TestMethod]
    public void AContextIsItsOwnEnvironment()
    {
        var mlContext = new MLContext(seed: 0);

        Assert.AreSame(mlContext, MLNetModelFactory.GetEnvironment(mlContext));
    }

    [TestMethod]
    public void AnObjectThatIsNoCatalogIsRejected()
    {
        Assert.ThrowsExactly<ArgumentException>(() => MLNetModelFactory.GetEnvironment("not a catalog"));
    }

    [TestMethod]
    public void MLNetArgumentChecksSurfaceUnwrapped()
    {
        var mlContext = new MLContext(seed: 0);
        VBuffer<float>[] weights = [new(1, [1f])];

        // One class is below ML.NET's minimum of two; its own check throws, not a TargetInvocationException.
        Exception error = Assert.Throws<Exception>(
            () => MLNetModelFactory.CreateMaximumEntropy(mlContext, weights, [0f], 1, 1, null));

        Assert.IsNotInstanceOfType<TargetInvocationException>(error);
    }

    [TestMethod]
    public void NonFiniteWeightsAreRejectedByMLNet()
    {
        var mlContext = new MLContext(seed: 0);
        float[] weights = [1f, float.NaN];

        Assert.Throws<ArgumentException>(() => MLNetModelFactory.CreateLinearRegression(mlContext, weights, 0f));
        Assert.Throws<ArgumentException>(() => MLNetModelFactory.CreateCalibratedLinearBinary(mlContext, [1f, 2f], float.PositiveInfinity));
    }
}
