import Testing
@testable import PostgresStore

struct PostgresTargetTests {
    @Test func redactsThePasswordAndSecretParameters() throws {
        let target = try #require(PostgresTarget(url: "postgresql://app:s3cr%2Ft@db.example:5432/recsmith?sslmode=require&password=x"))
        #expect(target.redacted == "postgresql://app:***@db.example:5432/recsmith?sslmode=require&password=***")
        #expect(!target.description.contains("s3cr"))
    }

    @Test func keepsAURLWithoutSecretsAsItIs() throws {
        let target = try #require(PostgresTarget(url: "postgres://app@127.0.0.1:5433/db"))
        #expect(target.redacted == "postgres://app@127.0.0.1:5433/db")
    }

    @Test func refusesOtherSchemes() {
        #expect(PostgresTarget(url: "sqlite:/tmp/x.sqlite") == nil)
        #expect(PostgresTarget(url: "mysql://db/x") == nil)
    }
}
