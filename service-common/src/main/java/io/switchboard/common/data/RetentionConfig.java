package io.switchboard.common.data;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How long bookkeeping is kept ({@code SWITCHBOARD_BOOKKEEPING_RETENTION}) and how often it is pruned ({@code _INTERVAL}). */
@ConfigMapping(prefix = "switchboard.retention")
public interface RetentionConfig {
    /** Longer than the topics' retention (Kafka's default 7 days): a record can only come back while its topic holds it. */
    @WithDefault("P14D")
    Duration keep();

    /** Read by the {@code RetentionJob} schedule (service-common, in every service with a database) as {@code ${switchboard.retention.interval}}. */
    @WithDefault("1h")
    String interval();
}
