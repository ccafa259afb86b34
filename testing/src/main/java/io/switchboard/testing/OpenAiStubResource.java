package io.switchboard.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Starts an {@link OpenAiStub} and points ai-service's openai provider at it. */
public class OpenAiStubResource implements QuarkusTestResourceLifecycleManager {
    private static OpenAiStub stub;

    public static synchronized OpenAiStub stub() {
        if (stub == null) {
            stub = OpenAiStub.start();
        }
        return stub;
    }

    @Override
    public Map<String, String> start() {
        return Map.of("switchboard.ai.provider", "openai",
                "switchboard.ai.openai.base-url", stub().baseUrl(),
                "switchboard.ai.openai.api-key", "test-key",
                "switchboard.ai.timeout", "PT2S");
    }

    @Override
    public void stop() {
        // shared by the test classes of this JVM
    }
}
