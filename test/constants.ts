/** The migrated database every test database is copied from. */
export const TEMPLATE_DB = "lethe_test_template";
export const TEST_BUCKET = "lethe-test";
