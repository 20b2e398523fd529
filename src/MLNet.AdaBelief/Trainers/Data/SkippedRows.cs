namespace MLNet.AdaBelief.Trainers.Data;

/// <summary>Rows a pass over the data left out, by reason, as ML.NET's built-in trainers count them.</summary>
internal sealed class SkippedRows
{
    /// <summary>Rows whose label is NaN (or, for a key label, missing).</summary>
    public long BadLabel { get; set; }

    /// <summary>Rows with a NaN or infinite feature value.</summary>
    public long BadFeatures { get; set; }

    /// <summary>Rows whose example weight is not in (0, ∞).</summary>
    public long BadWeight { get; set; }

    public long Total => BadLabel + BadFeatures + BadWeight;

    public string Describe() =>
        $"Skipped {Total} row(s): {BadLabel} with a missing label, {BadFeatures} with a NaN or infinite feature, " +
        $"{BadWeight} with a weight not in (0, ∞).";
}
