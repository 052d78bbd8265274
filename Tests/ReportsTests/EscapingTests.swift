import Markup
import Reports
import Testing

struct EscapingTests {
    @Test func markupCharactersBecomeReferences() {
        #expect(escapeMarkup("<script>alert('x&y')</script>\"") == "&lt;script&gt;alert(&#39;x&amp;y&#39;)&lt;/script&gt;&quot;")
        #expect(escapeMarkup("plain ünïcode") == "plain ünïcode")
    }

    @Test func shellQuotingLeavesPlainWordsAndQuotesTheRest() {
        #expect(shellQuoted(["recsmith", "evaluate", "--data", "a/b.csv", "--k", "10,20"])
            == "recsmith evaluate --data a/b.csv --k 10,20")
        #expect(shellQuoted(["--data", "my file's.csv", ""]) == "--data 'my file'\\''s.csv' ''")
    }

    @Test func chartsEscapeSeriesNamesInTextAndAttributes() {
        let name = "\"><script>alert(1)</script>"
        let chart = LineChart(
            id: "c", title: "t", xTitle: "x", yTitle: "y",
            series: [ChartSeries(name: name, points: [(1, 0.5), (2, 0.25)], colour: Palette.colour(at: 0))])
        #expect(!chart.svg.contains("<script"))
        #expect(chart.svg.contains("data-series=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""))
    }
}
