using Microsoft.ML.Data;

namespace TextClassification;

/// <summary>One line of the SMS Spam Collection: "ham" or "spam", a tab, the message.</summary>
internal sealed class SmsMessage
{
    [LoadColumn(0)] public string Label { get; set; } = "";
    [LoadColumn(1)] public string Message { get; set; } = "";
}

/// <summary>One GitHub issue of the corefx repository: its area label, title and description.</summary>
internal sealed class GitHubIssue
{
    [LoadColumn(0)] public string ID { get; set; } = "";
    [LoadColumn(1)] public string Area { get; set; } = "";
    [LoadColumn(2)] public string Title { get; set; } = "";
    [LoadColumn(3)] public string Description { get; set; } = "";
}

/// <summary>A binary classifier's output for one message.</summary>
internal sealed class SpamPrediction
{
    public bool PredictedLabel { get; set; }
    public float Probability { get; set; }
}
