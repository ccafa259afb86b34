package io.switchboard.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points the service's Redis client at a {@link TcpGate} before the real Redis (127.0.0.1:6379, started by
 * {@code .ci/run}), so that a test can take Redis away from this service alone and give it back.
 */
public class RedisGateResource implements QuarkusTestResourceLifecycleManager {
    private static TcpGate gate;

    public static synchronized TcpGate gate() {
        if (gate == null) {
            gate = TcpGate.to("127.0.0.1", 6379);
        }
        return gate;
    }

    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:" + gate().port());
    }

    @Override
    public void stop() {
        synchronized (RedisGateResource.class) {
            if (gate != null) {
                gate.close();
                gate = null;
            }
        }
    }
}
