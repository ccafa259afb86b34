package io.switchboard.system;

import java.sql.SQLException;

/**
 * What PostgreSQL did for this run's databases, from {@code pg_stat_database}: transactions, rows and index entries
 * read, rows written. Divided by a step's messages it shows a statement whose cost grows with its table (rows read per
 * message rising from step to step) long before the CPU column does.
 */
final class DatabaseMeter {
    record Work(double transactions, double rowsRead, double rowsWritten) {
        Work minus(Work before) {
            return new Work(transactions - before.transactions, rowsRead - before.rowsRead, rowsWritten - before.rowsWritten);
        }

        Work per(long units) {
            return units == 0 ? new Work(Double.NaN, Double.NaN, Double.NaN)
                    : new Work(transactions / units, rowsRead / units, rowsWritten / units);
        }
    }

    private final String databasePrefix;

    DatabaseMeter(SystemUnderTest system) {
        this.databasePrefix = system.databasePrefix();
    }

    /** The counts so far (each server process reports its own at the end of a transaction, at most once a second). */
    Work sample() {
        try (var connection = SystemUnderTest.postgres();
                var statement = connection.prepareStatement("select coalesce(sum(xact_commit + xact_rollback), 0), "
                        + "coalesce(sum(tup_returned + tup_fetched), 0), coalesce(sum(tup_inserted + tup_updated + tup_deleted), 0) "
                        + "from pg_stat_database where starts_with(datname, ?)")) {
            statement.setString(1, databasePrefix);
            try (var row = statement.executeQuery()) {
                row.next();
                return new Work(row.getLong(1), row.getLong(2), row.getLong(3));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("pg_stat_database: " + e.getMessage(), e);
        }
    }

    /** Whether the server vacuums and analyzes by itself: without it tables keep their deleted rows and plans their first shape. */
    static String autovacuum() {
        try (var connection = SystemUnderTest.postgres();
                var statement = connection.createStatement(); var row = statement.executeQuery("show autovacuum")) {
            row.next();
            return row.getString(1);
        } catch (SQLException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
