package io.switchboard.chat.channel;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.common.domain.DomainException;

/** Counts refused webhooks by channel and reason ({@code switchboard_webhook_rejections_total}): forgeries show up here. */
@ApplicationScoped
public class WebhookRejections {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(WebhookRejections.class);
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

    private void count(String channel, String reason) {
        metrics.counter("switchboard.webhook.rejections", "channel", channel, "reason", reason).increment();
    }

    /**
     * A body or event from an authenticated platform that cannot be read: counted and logged (the reason, never the
     * body), and answered 200 all the same by the caller, as the platform would resend anything else forever.
     * Returns the reason, which names the field.
     */
    public String malformed(String channel, DomainException e) {
        count(channel, "malformed");
        LOG.warnf("%s update refused: %s (acknowledged, so the platform does not resend it)", channel, e.getMessage());
        return e.getMessage();
    }
}
