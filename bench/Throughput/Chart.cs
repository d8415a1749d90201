using ScottPlot;

namespace UsageProcessor.Throughput;

/// <summary>Draws settled jobs per second beside the raw drain of the same depth, per workload.</summary>
internal static class Chart
{
    public static void Save(string path, IReadOnlyList<WorkloadResult> results)
    {
        var plot = new Plot();
        var bars = new List<Bar>();
        for (var i = 0; i < results.Count; i++)
        {
            bars.Add(new Bar { Position = i * 4, Value = results[i].RawSaturatedPerSecond, FillColor = Colors.LightGray, Label = $"{results[i].RawSaturatedPerSecond:F0}" });
            bars.Add(new Bar { Position = i * 4 + 1, Value = results[i].RawPerSecond, FillColor = Colors.Gray, Label = $"{results[i].RawPerSecond:F0}" });
            bars.Add(new Bar { Position = i * 4 + 2, Value = results[i].SettledPerSecond, FillColor = Colors.SteelBlue, Label = $"{results[i].SettledPerSecond:F0}" });
        }

        var series = plot.Add.Bars(bars);
        series.ValueLabelStyle.FontSize = 14;
        plot.Axes.Bottom.SetTicks(
            [.. results.Select((_, i) => i * 4 + 1.0)],
            [.. results.Select(r => $"{r.Name}\n{r.TotalRequestsPerJob:F2} requests/job")]);
        // Head room above the tallest bar keeps the legend clear of the bars.
        plot.Axes.SetLimitsY(0, results.Max(r => Math.Max(r.SettledPerSecond, Math.Max(r.RawPerSecond, r.RawSaturatedPerSecond))) * 1.45);
        plot.Title("Settled jobs/s vs raw queue drain msg/s, waves of 600, Azurite on 2 cores");
        plot.YLabel("per second");
        plot.Legend.IsVisible = true;
        plot.Legend.Alignment = Alignment.UpperRight;
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "raw drain, 4 receivers (receive 32 + delete)", FillColor = Colors.LightGray });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "raw drain, 1 receiver", FillColor = Colors.Gray });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "settled jobs (self-host + ledger)", FillColor = Colors.SteelBlue });
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, 900, 500);
    }
}
