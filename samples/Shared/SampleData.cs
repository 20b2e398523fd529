using Microsoft.ML;

namespace Samples.Shared;

/// <summary>Finds the data files that each sample's build copies next to its binary (from samples/data/ or test/data/mlnet-samples/).</summary>
internal static class SampleData
{
    /// <summary>
    /// The full path of a bundled data file. Throws <see cref="FileNotFoundException"/> saying how to get it when the
    /// file is missing, so a sample fails with a message instead of an empty result.
    /// </summary>
    /// <param name="fileName">The file's name, as the project copies it into the program's data folder.</param>
    public static string Path(string fileName)
    {
        string path = System.IO.Path.Combine(AppContext.BaseDirectory, "data", fileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"The sample data file {fileName} was not found at {path}. Build the sample from the repository (its project copies the file into data/).", path);
        return path;
    }

    /// <summary>The number of rows of a data view (counted with a cursor when the view does not know it).</summary>
    public static long RowCount(IDataView data)
    {
        if (data.GetRowCount() is long known)
            return known;
        long count = 0;
        using DataViewRowCursor cursor = data.GetRowCursor([]);
        while (cursor.MoveNext())
            count++;
        return count;
    }
}
