package io.switchboard.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a Telegram and an Instagram {@link ChannelStub} and points chat-service's channels at them, with the
 * webhook secrets tests sign with. Retries are fast so that tests see them within seconds.
 */
public class ChannelStubResource implements QuarkusTestResourceLifecycleManager {
    public static final String TELEGRAM_BOT_TOKEN = "123456:test-bot-token";
    public static final String TELEGRAM_WEBHOOK_SECRET = "telegram-webhook-secret";
    public static final String INSTAGRAM_APP_SECRET = "instagram-app-secret";
    public static final String INSTAGRAM_VERIFY_TOKEN = "instagram-verify-token";
    public static final String INSTAGRAM_ACCESS_TOKEN = "instagram-access-token";
    private static ChannelStub telegram;
    private static ChannelStub instagram;

    public static synchronized ChannelStub telegram() {
        if (telegram == null) {
            telegram = ChannelStub.telegram(TELEGRAM_BOT_TOKEN);
        }
        return telegram;
    }

    public static synchronized ChannelStub instagram() {
        if (instagram == null) {
            instagram = ChannelStub.instagram(INSTAGRAM_ACCESS_TOKEN);
        }
        return instagram;
    }

    @Override
    public Map<String, String> start() {
        return Map.ofEntries(
                Map.entry("switchboard.telegram.bot-token", TELEGRAM_BOT_TOKEN),
                Map.entry("switchboard.telegram.webhook-secret", TELEGRAM_WEBHOOK_SECRET),
                Map.entry("switchboard.telegram.api-base-url", telegram().baseUrl()),
                Map.entry("switchboard.instagram.app-secret", INSTAGRAM_APP_SECRET),
                Map.entry("switchboard.instagram.verify-token", INSTAGRAM_VERIFY_TOKEN),
                Map.entry("switchboard.instagram.access-token", INSTAGRAM_ACCESS_TOKEN),
                Map.entry("switchboard.instagram.api-base-url", instagram().baseUrl()),
                Map.entry("switchboard.delivery.initial-backoff", "200ms"),
                Map.entry("switchboard.delivery.max-attempts", "3"),
                Map.entry("switchboard.delivery.poll-interval", "200ms"));
    }

    @Override
    public void stop() {
        // shared by the test classes of this JVM
    }
}
