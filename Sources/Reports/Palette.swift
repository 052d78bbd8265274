/// The Okabe–Ito colours, which stay distinct under the common colour-vision deficiencies. Series take them in
/// this order (yellow late: it is faint on white); past eight they repeat.
package enum Palette {
    /// Blue, orange, bluish green, vermillion, sky blue, reddish purple, black, yellow.
    package static let okabeIto = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#000000", "#F0E442"]

    /// The colour of the series at `index`.
    package static func colour(at index: Int) -> String {
        okabeIto[index % okabeIto.count]
    }
}
