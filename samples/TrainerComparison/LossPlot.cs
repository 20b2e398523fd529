using ScottPlot;

namespace TrainerComparison;

/// <summary>
/// Draws the validation loss per epoch of each AdaBelief configuration as a line, and each built-in trainer's final
/// loss on the same rows as a dashed horizontal line, and saves the plot as a PNG.
/// </summary>
internal static class LossPlot
{
    public static void Save(IReadOnlyList<Outcome> outcomes, string path)
    {
        var plot = new Plot();
        Color[] curveColors = [Colors.Blue, Colors.OrangeRed, Colors.ForestGreen, Colors.Purple];
        Color[] lineColors = [Colors.Black, Colors.Gray, Colors.Brown, Colors.DarkCyan];

        // A log scale: early epochs can be orders of magnitude above the final losses, which differ by a few percent.
        // A built-in's line far above everything else (a model of another form, say) is left off the chart and its
        // value given in the legend instead.
        double best = outcomes.Min(o => o.HalfMse);
        double highestCurve = outcomes.SelectMany(o => o.ValidationLossPerEpoch).DefaultIfEmpty(best).Max();
        bool OffChart(Outcome o) => o.ValidationLossPerEpoch.Count == 0 && o.HalfMse > Math.Max(2 * best, highestCurve);

        int curveCount = 0, lineCount = 0;
        foreach (Outcome o in outcomes)
        {
            if (o.ValidationLossPerEpoch.Count > 0)
            {
                double[] epochs = Enumerable.Range(1, o.ValidationLossPerEpoch.Count).Select(e => (double)e).ToArray();
                var scatter = plot.Add.Scatter(epochs, o.ValidationLossPerEpoch.Select(Math.Log10).ToArray());
                scatter.LegendText = $"{o.Contender.Name} (last {o.ValidationLossPerEpoch[^1]:F3})";
                scatter.Color = curveColors[curveCount++ % curveColors.Length];
                scatter.LineWidth = 2;
                scatter.MarkerSize = 6;
            }
            else
            {
                bool offChart = OffChart(o);
                var line = plot.Add.HorizontalLine(Math.Log10(o.HalfMse));
                line.LegendText = $"{o.Contender.Name}, final {o.HalfMse:F3}{(offChart ? " (above the chart)" : "")}";
                line.Color = lineColors[lineCount++ % lineColors.Length];
                line.LinePattern = LinePattern.Dashed;
                line.LineWidth = 2;
                line.IsVisible = !offChart;
            }
        }
        double top = Math.Log10(outcomes.Where(o => !OffChart(o)).Max(o => o.ValidationLossPerEpoch.DefaultIfEmpty(o.HalfMse).Max()));
        double bottom = Math.Log10(outcomes.Min(o => o.ValidationLossPerEpoch.DefaultIfEmpty(o.HalfMse).Min()));
        plot.Title("Taxi fares: validation loss (half the mean squared error, $²)");
        plot.XLabel("epoch");
        plot.YLabel("validation loss (log scale)");
        double margin = Math.Max(top - bottom, 0.1) * 0.08;
        plot.Axes.SetLimitsY(bottom - margin, top + margin);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            // Ticks at whole decades when the losses span one or more; within a single decade, ticks between them.
            IntegerTicksOnly = top - bottom >= 1,
            LabelFormatter = y => Math.Pow(10, y).ToString("G4", System.Globalization.CultureInfo.InvariantCulture),
        };
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.ShowLegend(Alignment.UpperRight);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
            Directory.CreateDirectory(folder);
        plot.SavePng(path, 1000, 600);
    }
}
