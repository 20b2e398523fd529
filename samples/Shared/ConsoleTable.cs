using System.Globalization;

namespace Samples.Shared;

/// <summary>
/// A small text table: the first column left-aligned, the others right-aligned, each as wide as its widest cell.
/// The samples print their results through it so that numbers line up.
/// </summary>
internal sealed class ConsoleTable
{
    private readonly string[] headers;
    private readonly List<string[]> rows = [];

    /// <summary>Starts a table with these column headers.</summary>
    public ConsoleTable(params string[] headers) => this.headers = headers;

    /// <summary>Adds a row; it must have one cell per header.</summary>
    public void AddRow(params string[] cells)
    {
        if (cells.Length != headers.Length)
            throw new ArgumentException($"A row needs {headers.Length} cells; it had {cells.Length}.", nameof(cells));
        rows.Add(cells);
    }

    /// <summary>Formats a number with the given format in the invariant culture.</summary>
    public static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>Writes the table to the console.</summary>
    public void Write()
    {
        var widths = new int[headers.Length];
        foreach (string[] row in rows.Prepend(headers))
            for (int c = 0; c < row.Length; c++)
                widths[c] = Math.Max(widths[c], row[c].Length);

        Console.WriteLine(Line(headers, widths));
        Console.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (string[] row in rows)
            Console.WriteLine(Line(row, widths));
    }

    private static string Line(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd();
}
