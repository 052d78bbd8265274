import HTTPServer
import Models
import Testing
@testable import Configuration

struct ServiceConfigurationParsingTests {
    @Test func parsesIntervals() throws {
        #expect(try ServiceConfiguration.parseInterval("30s") == .seconds(30))
        #expect(try ServiceConfiguration.parseInterval("10m") == .seconds(600))
        #expect(try ServiceConfiguration.parseInterval("1h") == .seconds(3600))
        #expect(try ServiceConfiguration.parseInterval("250ms") == .milliseconds(250))
        #expect(try ServiceConfiguration.parseInterval("0") == nil)
        for bad in ["", "10", "-5s", "abc", "1x", "s"] {
            #expect(throws: ConfigurationError.self) { try ServiceConfiguration.parseInterval(bad) }
        }
    }

    @Test func parsesModelListsInOrder() throws {
        #expect(try ServiceConfiguration.parseModels("itemknn, pop,als,itemknn") == [.itemknn, .popular, .als])
        #expect(throws: ConfigurationError.self) { try ServiceConfiguration.parseModels("als,magic") }
        #expect(throws: ConfigurationError.self) { try ServiceConfiguration.parseModels(",") }
    }

    @Test func placesDerivedFilesBesideTheDatabase() {
        var configuration = ServiceConfiguration()
        configuration.databasePath = "/data/x/store.sqlite"
        #expect(configuration.modelDirectory == "/data/x/models")
        #expect(configuration.generatedTokenPath == "/data/x/admin-token")
        configuration.databasePath = "store.sqlite"
        #expect(configuration.modelDirectory == "./models")
    }
}
