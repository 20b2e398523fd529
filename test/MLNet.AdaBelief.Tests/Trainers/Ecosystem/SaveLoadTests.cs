using System.IO.Compression;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using static MLNet.AdaBelief.Tests.Trainers.Ecosystem.EcosystemData;

namespace MLNet.AdaBelief.Tests.Trainers.Ecosystem;

[TestClass]
public sealed class SaveLoadTests
{
    private static readonly string[] ForeignNames = ["MLNet.AdaBelief", "AdaBelief"];

    [TestMethod]
    public void Regression_SavedAndLoadedInNewContext_ScoresBitIdenticalAndZipNamesOnlyMicrosoftML()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = Regression(ml);
        ITransformer model = TrainRegression(ml, data);

        AssertRoundTrip(ml, model, data, scores => Floats(scores, "Score"));
    }

    [TestMethod]
    public void Binary_SavedAndLoadedInNewContext_ScoresBitIdenticalAndZipNamesOnlyMicrosoftML()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = Binary(ml);
        ITransformer model = TrainBinary(ml, data);

        AssertRoundTrip(ml, model, data, scores => [.. Floats(scores, "Score"), .. Floats(scores, "Probability")]);
    }

    [TestMethod]
    public void Multiclass_SavedAndLoadedInNewContext_ScoresBitIdenticalAndZipNamesOnlyMicrosoftML()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = Multiclass(ml);
        var model = TrainMulticlass(ml, data);

        AssertRoundTrip(ml, model, data, scores => FlatVectors(scores, "Score"));
        // The predicted label survives too, with its key values.
        ITransformer loaded = SaveAndLoad(ml, model, data.Schema, out _);
        CollectionAssert.AreEqual(
            model.Transform(data).GetColumn<uint>("PredictedLabel").ToArray(),
            loaded.Transform(data).GetColumn<uint>("PredictedLabel").ToArray());
    }

    private static void AssertRoundTrip(MLContext ml, ITransformer model, IDataView data, Func<IDataView, float[]> scores)
    {
        ITransformer loaded = SaveAndLoad(ml, model, data.Schema, out byte[] zip);

        float[] expected = scores(model.Transform(data));
        float[] actual = scores(loaded.Transform(data));
        Assert.HasCount(expected.Length, actual);
        for (int i = 0; i < expected.Length; i++)
            Assert.AreEqual(BitConverter.SingleToInt32Bits(expected[i]), BitConverter.SingleToInt32Bits(actual[i]), $"score {i}: {expected[i]} vs {actual[i]}");

        AssertZipNamesNoForeignType(zip);
    }

    private static ITransformer SaveAndLoad(MLContext ml, ITransformer model, DataViewSchema schema, out byte[] zip)
    {
        using (var stream = new MemoryStream())
        {
            ml.Model.Save(model, schema, stream);
            zip = stream.ToArray();
        }

        var fresh = new MLContext(seed: 99);
        using var read = new MemoryStream(zip, writable: false);
        ITransformer loaded = fresh.Model.Load(read, out DataViewSchema loadedSchema);
        Assert.IsNotNull(loadedSchema.GetColumnOrNull("Features"));
        return loaded;
    }

    /// <summary>
    /// A loader names the assembly and type that read each part of the model; none of them may be this package's,
    /// so a program with Microsoft.ML alone can load the file.
    /// </summary>
    private static void AssertZipNamesNoForeignType(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip, writable: false), ZipArchiveMode.Read);
        Assert.IsNotEmpty(archive.Entries);
        bool sawMicrosoftML = false;
        foreach (ZipArchiveEntry entry in archive.Entries)
        {
            byte[] bytes;
            using (Stream s = entry.Open())
            using (var copy = new MemoryStream())
            {
                s.CopyTo(copy);
                bytes = copy.ToArray();
            }

            // Latin-1 keeps every byte; dropping NULs also exposes ASCII text stored as UTF-16.
            string text = Encoding.Latin1.GetString(bytes).Replace("\0", string.Empty, StringComparison.Ordinal);
            foreach (string name in ForeignNames)
            {
                Assert.DoesNotContain(name, entry.FullName, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(name, text, StringComparison.OrdinalIgnoreCase, $"entry {entry.FullName} names {name}");
            }

            sawMicrosoftML |= text.Contains("Microsoft.ML", StringComparison.Ordinal);
        }

        Assert.IsTrue(sawMicrosoftML, "no entry names a Microsoft.ML loader assembly");
    }
}
