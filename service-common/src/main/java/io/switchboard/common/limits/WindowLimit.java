package io.switchboard.common.limits;

import java.time.Duration;
import java.util.Optional;

import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Response;

/**
 * At most {@code limit} events per key and window, counted in Redis so that every replica shares one count. The
 * window of a key starts at its first event (one INCR and PEXPIRE in one Lua call, atomic). Not a CDI bean: the
 * services that count (chat, ai) make their own, and the others never load Redis.
 */
public final class WindowLimit {
    private static final String TAKE = """
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            return {n, redis.call('PTTL', KEYS[1])}
            """;

    private final RedisDataSource redis;
    private final String prefix;
    private final int limit;
    private final Duration window;

    public WindowLimit(RedisDataSource redis, String prefix, int limit, Duration window) {
        this.redis = redis;
        this.prefix = prefix;
        this.limit = limit;
        this.window = window;
    }

    /** Counts one event for this key: empty while within the limit, else how long until the window ends. */
    public Optional<Duration> take(String key) {
        Response counted = redis.execute(Command.EVAL, TAKE, "1", prefix + key, Long.toString(window.toMillis()));
        long count = counted.get(0).toLong();
        long remainingMillis = Math.max(counted.get(1).toLong(), 1000);
        return count > limit ? Optional.of(Duration.ofMillis(remainingMillis)) : Optional.empty();
    }

    /** The wait, as people read it: "23 seconds", "2 minutes". */
    public static String readable(Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return seconds < 120 ? seconds + " second" + (seconds == 1 ? "" : "s") : ((seconds + 59) / 60) + " minutes";
    }
}
