package io.switchboard.chat;

import java.util.Map;

import jakarta.inject.Singleton;

import org.flywaydb.core.api.configuration.FluentConfiguration;

import io.quarkus.flyway.FlywayConfigurationCustomizer;

/**
 * Flyway's lock against replicas migrating at once, as a session lock. Its default on PostgreSQL is an advisory lock
 * held by a transaction left open on a connection of its own for the whole migration; an index built concurrently
 * (V9) waits for every transaction open when it starts to end, so it would wait for that one for ever.
 */
@Singleton
public class MigrationLock implements FlywayConfigurationCustomizer {
    @Override
    public void customize(FluentConfiguration configuration) {
        configuration.configuration(Map.of("flyway.postgresql.transactional.lock", "false"));
    }
}
