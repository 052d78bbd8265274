import EventFormats
import Foundation
import TestSupport
import LinearAlgebra
import Models
import Testing

/// The content model's similar items on MovieLens latest-small: genres as categories, titles as text.
///
/// `movies.csv` is not in the repository (`MovieLensFiles` finds it); without it these tests are skipped.
@Suite(.enabled(if: MovieLensMovies.path != nil, Comment(rawValue: MovieLensFiles.skipMessage("movies.csv"))))
struct ContentOnMovieLensTests {
    @Test func mostContentNeighboursShareAGenre() throws {
        let movies = try MovieLensMovies.load()
        let empty = try CSRMatrix(rowCount: 0, columnCount: 0, rowOffsets: [0], columns: [], values: [])
        let model = try ModelTrainer.fit(
            .content, on: TrainingData(interactions: empty, lastSeen: [], itemDocuments: movies.map { $0 }), seed: 1)
        var neighbours = 0, sharing = 0
        // Every 7th movie with a genre, to keep the debug build quick.
        for item in stride(from: 0, to: movies.count, by: 7) where !movies[item].categories.isEmpty {
            let genres = Set(movies[item].categories)
            for similar in try #require(model.similarItems(to: Int32(item), count: 10)) {
                neighbours += 1
                if !genres.isDisjoint(with: movies[Int(similar.item)].categories) { sharing += 1 }
            }
        }
        let share = Double(sharing) / Double(neighbours)
        #expect(neighbours > 10_000)
        #expect(share >= 0.8, "\(sharing) of \(neighbours) neighbours share a genre")
    }
}

/// Reads `movies.csv` (`movieId,title,genres`) as documents the way `Benchmarks/peer/movielens_items.py` does:
/// genres as categories (none for "(no genres listed)"), the title without its year as text.
enum MovieLensMovies {
    static let path = MovieLensFiles.path("movies.csv")

    static func load() throws -> [ItemDocument] {
        let reader = try CSVReader(path: try #require(path))
        _ = try reader.next()  // header
        var movies: [ItemDocument] = []
        while let record = try reader.next() {
            let genres = record[2] == "(no genres listed)" ? [] : record[2].split(separator: "|").map(String.init)
            movies.append(ItemDocument(categories: genres, text: withoutYear(record[1])))
        }
        return movies
    }

    /// "Toy Story (1995)" → "Toy Story"; the year is a trailing parenthesis starting with four digits.
    static func withoutYear(_ title: String) -> String {
        let trimmed = title.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasSuffix(")"), let open = trimmed.lastIndex(of: "("),
              trimmed[trimmed.index(after: open)...].prefix(4).allSatisfy(\.isNumber)
        else { return trimmed }
        return trimmed[..<open].trimmingCharacters(in: .whitespaces)
    }
}
