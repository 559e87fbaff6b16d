using System.Globalization;
using System.Text;

namespace Shop.Benchmarks;

/// <summary>One line of the results table: a Shop figure beside its raw baseline from the same run.</summary>
internal sealed record Row(string Id, string Measure, string Shop, string Baseline, string Ratio, string Target);

internal sealed class Report
{
    private readonly List<Row> _rows = [];
    private readonly List<string> _ratios = [];
    private readonly List<string> _notes = [];

    public IReadOnlyList<Row> Rows => _rows;

    public void Add(Row row)
    {
        _rows.Add(row);
        Console.WriteLine($"  [{row.Id}] {row.Measure}: {row.Shop} | baseline {row.Baseline} | {row.Ratio} {row.Target}");
    }

    public void Ratio(string text) => _ratios.Add(text);

    public void Note(string text)
    {
        _notes.Add(text);
        Console.WriteLine("  note: " + text);
    }

    public string Markdown()
    {
        var text = new StringBuilder();
        text.AppendLine("| # | measure | Shop | raw baseline (same run) | ratio | target |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var row in _rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Id} | {row.Measure} | {row.Shop} | {row.Baseline} | {row.Ratio} | {row.Target} |");
        }

        if (_notes.Count > 0)
        {
            text.AppendLine();
            foreach (var note in _notes)
            {
                text.AppendLine("- " + note);
            }
        }

        return text.ToString();
    }

    public string RatiosLine() => "ratios: " + string.Join(" ", _ratios);

    public static string F(double value, int decimals = 1) => value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>A count, or a mean of counts, with at most two decimals: 11, 2, 0.25.</summary>
    public static string Count(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Us(double micros) => micros >= 1000 ? F(micros / 1000, 2) + " ms" : F(micros, 1) + " µs";

    /// <summary>Whether a target was met, as the table says it.</summary>
    public static string Verdict(bool met) => met ? "met" : "MISSED";
}
