import TestSupport
import Testing

struct PostgresRequirementTests {
    /// `make test` sets `RECSMITH_REQUIRE_POSTGRES=1` and starts a cluster: without its URL the PostgreSQL tests would
    /// silently skip, so this fails instead.
    @Test func aRequiredClusterIsGiven() {
        if PostgresTestDatabase.isRequired {
            #expect(PostgresTestDatabase.clusterURL != nil, "RECSMITH_REQUIRE_POSTGRES=1 but RECSMITH_TEST_POSTGRES_URL is not set")
        }
    }
}
