/// One named series of a chart: a model's values, drawn in one colour with one entry in the legend.
package struct ChartSeries: Sendable {
    /// The series' name as shown (escaped when drawn).
    package var name: String
    /// The points, in drawing order.
    package var points: [(x: Double, y: Double)]
    /// A palette colour (``Palette``).
    package var colour: String

    /// A series.
    package init(name: String, points: [(x: Double, y: Double)], colour: String) {
        self.name = name
        self.points = points
        self.colour = colour
    }
}
