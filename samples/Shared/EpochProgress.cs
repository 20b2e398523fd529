using MLNet.AdaBelief;

namespace Samples.Shared;

/// <summary>
/// Prints the trainer's per-epoch progress as the rows of a table while training runs: the first epoch, every
/// <c>every</c>-th epoch, and any epoch that took over a second to reach since the last printed row.
/// </summary>
internal sealed class EpochProgress
{
    private readonly int every;
    private TimeSpan lastPrinted;

    /// <summary>Creates a progress printer that prints every <paramref name="every"/>-th epoch.</summary>
    public EpochProgress(int every) => this.every = every;

    /// <summary>Writes the header of the progress table; call before Fit.</summary>
    public static void WriteHeader() =>
        Console.WriteLine($"{"epoch",6}  {"training loss",13}  {"validation loss",15}  {"learning rate",13}  {"elapsed",9}");

    /// <summary>The callback to pass as the trainer's <c>ProgressCallback</c>.</summary>
    public void Report(TrainingProgress p)
    {
        if (p.Epoch != 1 && p.Epoch % every != 0 && p.Elapsed - lastPrinted < TimeSpan.FromSeconds(1))
            return;
        lastPrinted = p.Elapsed;
        string validation = p.ValidationLoss is double v ? ConsoleTable.Number(v, "F5") : "-";
        Console.WriteLine(
            $"{p.Epoch,6}  {ConsoleTable.Number(p.TrainingLoss, "F5"),13}  {validation,15}  {ConsoleTable.Number(p.LearningRate, "G4"),13}  {ConsoleTable.Number(p.Elapsed.TotalSeconds, "F2") + " s",9}");
    }
}
