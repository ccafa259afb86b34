package io.switchboard.chat.domain;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.RedisDataSource;
import io.switchboard.chat.ChatConfig;
import io.switchboard.common.domain.DomainException;
import io.switchboard.common.limits.WindowLimit;

/**
 * New conversations per client address and minute, shared by every replica through Redis: each conversation can set
 * off workflows and a model call, so one client must not start them without end. Redis down lets requests through
 * (with a warning): the limit protects the system, it must not take it down.
 */
@ApplicationScoped
public class ConversationLimit {
    private static final Logger LOG = Logger.getLogger(ConversationLimit.class);

    private final WindowLimit limit;

    ConversationLimit(RedisDataSource redis, ChatConfig config) {
        this.limit = new WindowLimit(redis, "switchboard:limit:conversations:", config.rateLimit().conversationsPerMinute(),
                Duration.ofMinutes(1));
    }

    /** 429, with the wait, past the limit for this address. */
    public void admit(String address) {
        java.util.Optional<Duration> wait;
        try {
            wait = limit.take(address);
        } catch (RuntimeException e) {
            LOG.warnf("conversation limit not counted (Redis: %s); letting the request through", e.getMessage());
            return;
        }
        wait.ifPresent(w -> {
            throw DomainException.tooManyRequests("too many new conversations from your address: try again in " + WindowLimit.readable(w));
        });
    }
}
