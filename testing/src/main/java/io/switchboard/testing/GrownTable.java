package io.switchboard.testing;

import javax.sql.DataSource;

import io.switchboard.common.data.Jdbc;

/**
 * For tests that a hot statement's cost does not grow with its table: inside one transaction, an empty copy of a
 * service's table (temporary, dropped at commit) stands in front of it, and PostgreSQL keeps the plan it first makes
 * for each prepared statement, as it does in a long-running service while nothing analyzes the table again.
 */
public final class GrownTable {
    private final Jdbc jdbc;
    private final String table;

    private GrownTable(Jdbc jdbc, String table) {
        this.jdbc = jdbc;
        this.table = table;
    }

    /** Call inside a transaction: the statements that follow on its connection use the copy. */
    public static GrownTable inFrontOf(DataSource dataSource, String table) {
        var jdbc = new Jdbc(dataSource);
        jdbc.update("create temporary table " + table + " (like public." + table + " including all) on commit drop");
        // plans the connection made for the service's table must not stand in for the copy's
        jdbc.update("discard plans");
        jdbc.update("set local plan_cache_mode = force_generic_plan");
        return new GrownTable(jdbc, table);
    }

    /**
     * Rows and index entries this transaction has read from the copy and any of its indexes so far: a statement that
     * walks the wrong index and filters out what it reads counts every entry it walked.
     */
    public long entriesRead() {
        return jdbc.query("""
                select pg_stat_get_xact_tuples_returned(t.oid) + pg_stat_get_xact_tuples_fetched(t.oid)
                     + (select coalesce(sum(pg_stat_get_xact_tuples_returned(i.indexrelid)), 0) from pg_index i where i.indrelid = t.oid)
                from pg_class t where t.oid = ?::regclass""", row -> row.getLong(1), table).get(0);
    }
}
