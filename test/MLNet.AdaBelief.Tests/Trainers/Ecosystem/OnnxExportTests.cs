using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using static MLNet.AdaBelief.Tests.Trainers.Ecosystem.EcosystemData;

namespace MLNet.AdaBelief.Tests.Trainers.Ecosystem;

/// <summary>
/// The models convert to ONNX with <c>mlContext.Model.ConvertToOnnx</c>, and ONNX Runtime scores them as ML.NET does.
/// </summary>
[TestClass]
public sealed class OnnxExportTests
{
    private const int Rows = 200;
    private const double RelativeTolerance = 1e-5;

    [TestMethod]
    public void Regression_ConvertedToOnnx_ScoresMatchMLNet()
    {
        var ml = new MLContext(seed: 1);
        var model = TrainRegression(ml, Regression(ml));
        IDataView data = FeaturesOnly(ml, SyntheticData.Regression(Rows, TestSeed).Select(r => r.Features));

        Dictionary<string, float[]> onnx = RunOnnx(ml, model, data);

        IDataView scored = model.Transform(data);
        AssertClose(Floats(scored, "Score"), onnx["Score"], "Score");
    }

    [TestMethod]
    public void Binary_ConvertedToOnnx_ScoresAndProbabilitiesMatchMLNet()
    {
        var ml = new MLContext(seed: 1);
        var model = TrainBinary(ml, Binary(ml));
        IDataView data = FeaturesOnly(ml, SyntheticData.Binary(Rows, TestSeed).Select(r => r.Features));

        Dictionary<string, float[]> onnx = RunOnnx(ml, model, data);

        IDataView scored = model.Transform(data);
        AssertClose(Floats(scored, "Score"), onnx["Score"], "Score");
        AssertClose(Floats(scored, "Probability"), onnx["Probability"], "Probability");
    }

    [TestMethod]
    public void Multiclass_ConvertedToOnnx_ScoresMatchMLNet()
    {
        var ml = new MLContext(seed: 1);
        var model = TrainMulticlass(ml, Multiclass(ml));
        IDataView data = FeaturesOnly(ml, SyntheticData.Multiclass(Rows, TestSeed).Select(r => r.Features));

        Dictionary<string, float[]> onnx = RunOnnx(ml, model, data);

        IDataView scored = model.Transform(data);
        AssertClose(FlatVectors(scored, "Score"), onnx["Score"], "Score");
    }

    private static IDataView FeaturesOnly(MLContext ml, IEnumerable<float[]> features) =>
        ml.Data.LoadFromEnumerable(features.Select(f => new FeaturesRow { Features = f }));

    /// <summary>
    /// Converts <paramref name="model"/> for the schema of <paramref name="data"/> (only a Features column), runs the
    /// ONNX graph on all of <paramref name="data"/>, and returns each float output by its ML.NET column name.
    /// </summary>
    private static Dictionary<string, float[]> RunOnnx(MLContext ml, ITransformer model, IDataView data)
    {
        byte[] bytes;
        using (var stream = new MemoryStream())
        {
            ml.Model.ConvertToOnnx(model, data, stream);
            bytes = stream.ToArray();
        }

        float[] features = FlatFeatures(data);
        long rows = features.Length / SyntheticData.FeatureCount;

        InferenceSession session;
        try
        {
            session = new InferenceSession(bytes);
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or BadImageFormatException)
        {
            Assert.Inconclusive($"ONNX Runtime's native library did not load on this machine: {e}");
            throw;
        }

        using (session)
        {
            string input = session.InputMetadata.Keys.Single();
            Assert.AreEqual("Features", input);
            using var tensor = OrtValue.CreateTensorValueFromMemory(features, [rows, SyntheticData.FeatureCount]);
            string[] floatOutputs = session.OutputMetadata
                .Where(o => o.Value.IsTensor && o.Value.ElementType == typeof(float))
                .Select(o => o.Key)
                .ToArray();
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, new Dictionary<string, OrtValue> { [input] = tensor }, floatOutputs);

            var byColumn = new Dictionary<string, float[]>();
            for (int i = 0; i < floatOutputs.Length; i++)
            {
                // The exporter names a graph output after its ML.NET column: "Score.output".
                string column = floatOutputs[i].EndsWith(".output", StringComparison.Ordinal) ? floatOutputs[i][..^".output".Length] : floatOutputs[i];
                byColumn[column] = results[i].GetTensorDataAsSpan<float>().ToArray();
            }

            return byColumn;
        }
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.HasCount(expected.Length, actual, what);
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = RelativeTolerance * Math.Max(1, Math.Abs(expected[i]));
            Assert.AreEqual(expected[i], actual[i], tolerance, $"{what} {i}: ML.NET {expected[i]}, ONNX {actual[i]}");
        }
    }
}
