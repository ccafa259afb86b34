package io.switchboard.common.data;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/**
 * Plain JDBC statements, for small tables that need no entity. Each call takes a connection from the pool: inside a
 * JTA transaction that is the transaction's connection (Agroal enlists it), outside one the statement commits alone.
 * SQL failures surface as {@link IllegalStateException} with the {@link SQLException} as cause, so outages are still
 * recognised by their SQL state.
 */
public final class Jdbc {
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    private final DataSource dataSource;

    public Jdbc(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public int update(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = prepare(connection, sql, parameters)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("database: " + e.getMessage(), e);
        }
    }

    /**
     * One statement for many rows, sent in one round trip and run in the order given (a JDBC batch): what a row at a
     * time would cost in round trips, once.
     */
    public void batch(String sql, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (Object[] row : rows) {
                bind(statement, row);
                statement.addBatch();
            }
            statement.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("database: " + e.getMessage(), e);
        }
    }

    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... parameters) {
        return query(sql, false, mapper, parameters);
    }

    /**
     * As {@link #query}, planned for its parameters at every run: PostgreSQL keeps one plan for a prepared statement
     * once it has run it a few times, and a plan made while a table was a page or two stays when it has grown (the
     * driver sends this one unprepared, so the server plans it anew each time).
     */
    public <T> List<T> queryPlannedEachRun(String sql, RowMapper<T> mapper, Object... parameters) {
        return query(sql, true, mapper, parameters);
    }

    private <T> List<T> query(String sql, boolean plannedEachRun, RowMapper<T> mapper, Object... parameters) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = prepare(connection, sql, parameters)) {
            if (plannedEachRun) {
                statement.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(0);
            }
            try (ResultSet rows = statement.executeQuery()) {
                List<T> result = new ArrayList<>();
                while (rows.next()) {
                    result.add(mapper.map(rows));
                }
                return result;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("database: " + e.getMessage(), e);
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        bind(statement, parameters);
        return statement;
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
    }
}
