package io.switchboard.chat.channel;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.common.domain.DomainException;

/** Counts refused webhooks by channel and reason ({@code switchboard_webhook_rejections_total}): forgeries show up here. */
@ApplicationScoped
public class WebhookRejections {
    private final MeterRegistry metrics;

    WebhookRejections(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    /** Runs a webhook's handling; a refusal is counted under a reason read from its status, then passed on. */
    public <T> T counted(String channel, Supplier<T> handling) {
        try {
            return handling.get();
        } catch (DomainException e) {
            String reason = switch (e.kind()) {
                case UNAUTHENTICATED -> "missing_credential";
                case FORBIDDEN -> "bad_credential";
                case NOT_FOUND -> "not_configured";
                default -> "malformed";
            };
            count(channel, reason);
            throw e;
        }
    }

    /** Counts a refusal that is answered 200 all the same (a platform would resend anything else forever). */
    public void count(String channel, String reason) {
        metrics.counter("switchboard.webhook.rejections", "channel", channel, "reason", reason).increment();
    }
}
