using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MLNet.AdaBelief.Benchmarks.QualityMatrix;

/// <summary>One trainer's result on one data set.</summary>
/// <param name="Set">The data set's name.</param>
/// <param name="Metric">The metric's name; higher is better.</param>
/// <param name="Protocol">"5-fold CV" or "test split".</param>
/// <param name="Trainer">The trainer and its normalizer.</param>
/// <param name="IsBuiltIn">Whether the trainer is one of ML.NET's.</param>
/// <param name="Value">The metric (mean over the folds for cross-validation); NaN if the fit failed.</param>
/// <param name="FoldSd">The sample standard deviation over the folds; 0 for a test split.</param>
/// <param name="FitSeconds">Wall-clock seconds of Fit (featurization, normalizer and trainer), summed over the folds.</param>
/// <param name="Options">AdaBelief options given on the command line, or empty.</param>
/// <param name="Error">The failure's message, or null.</param>
/// <param name="Commit">The repository commit the run was built from, if known.</param>
/// <param name="Timestamp">When the result was measured (UTC, ISO 8601).</param>
internal sealed record MatrixResult(
    string Set,
    string Metric,
    string Protocol,
    string Trainer,
    bool IsBuiltIn,
    double Value,
    double FoldSd,
    double FitSeconds,
    string Options,
    string? Error,
    string Commit,
    string Timestamp);

/// <summary>
/// The results file (JSON): every run merges its results into it, replacing the rows of the same set and trainer, so
/// a tuning run can train only AdaBelief and compare with the built-ins' stored numbers.
/// </summary>
internal static class MatrixResults
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static List<MatrixResult> Load(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize<List<MatrixResult>>(File.ReadAllText(path), Json) ?? [] : [];

    public static void Save(string path, IEnumerable<MatrixResult> results)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
            Directory.CreateDirectory(folder);
        File.WriteAllText(path, JsonSerializer.Serialize(results.ToList(), Json));
    }

    /// <summary>Replaces the stored rows of the same set and trainer by <paramref name="fresh"/>, keeping the sets' order.</summary>
    public static List<MatrixResult> Merge(IReadOnlyList<MatrixResult> stored, IReadOnlyList<MatrixResult> fresh)
    {
        var replaced = fresh.Select(r => (r.Set, r.Trainer)).ToHashSet();
        return [.. stored.Where(r => !replaced.Contains((r.Set, r.Trainer))).Concat(fresh)
            .OrderBy(r => Order(r.Set)).ThenBy(r => r.IsBuiltIn).ThenBy(r => r.Trainer, StringComparer.Ordinal)];
    }

    private static int Order(string set)
    {
        int i = MatrixDataSets.All.Select(s => s.Name).ToList().IndexOf(set);
        return i < 0 ? int.MaxValue : i;
    }

    /// <summary>
    /// The summary: per set, the AdaBelief row named <paramref name="adaBelief"/>, the best built-in, the margin
    /// (AdaBelief − best), and the fastest built-in's Fit time; then the averages.
    /// </summary>
    public static string Summary(IReadOnlyList<MatrixResult> results, string adaBelief)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"| data set | metric | protocol | {adaBelief} | Fit s | best built-in | metric | Fit s | margin | fastest built-in Fit s |");
        text.AppendLine("|---|---|---|---:|---:|---|---:|---:|---:|---:|");
        var margins = new List<double>();
        int met = 0, sets = 0;
        foreach (IGrouping<string, MatrixResult> set in results.GroupBy(r => r.Set))
        {
            MatrixResult? ours = set.FirstOrDefault(r => r.Trainer == adaBelief);
            MatrixResult[] builtIns = [.. set.Where(r => r.IsBuiltIn && double.IsFinite(r.Value))];
            if (ours is null || builtIns.Length == 0)
                continue;
            MatrixResult best = builtIns.MaxBy(r => r.Value)!;
            double fastest = builtIns.Min(r => r.FitSeconds);
            double margin = ours.Value - best.Value;
            sets++;
            if (margin >= -0.005)
                met++;
            if (double.IsFinite(margin))
                margins.Add(margin);
            text.AppendLine(Invariant(
                $"| {set.Key} | {ours.Metric} | {ours.Protocol} | {Format(ours)} | {ours.FitSeconds:F2} | {best.Trainer} | {best.Value:F4} | {best.FitSeconds:F2} | {margin:+0.0000;-0.0000} | {fastest:F2} |"));
        }

        if (sets > 0)
            text.AppendLine(Invariant($"\n{met} of {sets} sets within 0.005 of the best built-in; mean margin {(margins.Count > 0 ? margins.Average() : double.NaN):+0.0000;-0.0000}."));
        return text.ToString();
    }

    /// <summary>Every result, one row each: set, trainer, metric ± fold sd, Fit seconds.</summary>
    public static string Detail(IReadOnlyList<MatrixResult> results)
    {
        var text = new StringBuilder();
        text.AppendLine("| data set | trainer | metric | value | fold sd | Fit s |");
        text.AppendLine("|---|---|---|---:|---:|---:|");
        foreach (MatrixResult r in results)
            text.AppendLine(Invariant($"| {r.Set} | {r.Trainer} | {r.Metric} | {Format(r)} | {r.FoldSd:F4} | {r.FitSeconds:F2} |"));
        return text.ToString();
    }

    private static string Format(MatrixResult r) =>
        r.Error is null ? r.Value.ToString("F4", CultureInfo.InvariantCulture) : "failed: " + r.Error.Split('\n')[0];

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
