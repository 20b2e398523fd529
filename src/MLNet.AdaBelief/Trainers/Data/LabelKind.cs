namespace MLNet.AdaBelief.Trainers.Data;

/// <summary>How a task's label column is read into the float label the losses take.</summary>
internal enum LabelKind
{
    /// <summary>Regression: a Single column, used as is.</summary>
    Real,

    /// <summary>Binary classification: a Boolean column, read as 1 or 0.</summary>
    Boolean,

    /// <summary>Multiclass classification: a key column, read as the 0-based class index (key − 1); key 0 is missing.</summary>
    Key,
}
