package io.switchboard.common.messaging;

import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.quarkus.scheduler.Scheduled;
import io.switchboard.common.data.Retention;
import io.switchboard.common.data.RetentionConfig;

/**
 * Every hour ({@code SWITCHBOARD_BOOKKEEPING_RETENTION_INTERVAL}) each replica of a service with a database forgets
 * its processed ids older than {@code SWITCHBOARD_BOOKKEEPING_RETENTION}, and what else the service declares as
 * {@link Retention.Rule} beans. A service without a database (notifier-service) has nothing to prune.
 */
@ApplicationScoped
public class RetentionJob {
    private final Instance<DataSource> dataSource;
    private final Instance<Retention.Rule> serviceRules;
    private final RetentionConfig config;

    RetentionJob(Instance<DataSource> dataSource, Instance<Retention.Rule> serviceRules, RetentionConfig config) {
        this.dataSource = dataSource;
        this.serviceRules = serviceRules;
        this.config = config;
    }

    @Scheduled(every = "${switchboard.retention.interval:1h}", delayed = "${switchboard.retention.interval:1h}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    public void prune() {
        if (!dataSource.isResolvable()) {
            return;
        }
        List<Retention.Rule> rules = new ArrayList<>(List.of(ProcessedLog.OLD_IDS));
        serviceRules.forEach(rules::add);
        new Retention(dataSource.get(), config.keep()).pruneOrLog(rules.toArray(Retention.Rule[]::new));
    }
}
