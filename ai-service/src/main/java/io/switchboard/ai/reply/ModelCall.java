package io.switchboard.ai.reply;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.runtime.Startup;
import io.switchboard.ai.AiConfig;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.switchboard.ai.knowledge.KnowledgeBase;
import io.switchboard.ai.model.LocalProvider;
import io.switchboard.ai.model.ModelProvider;
import io.switchboard.ai.model.OpenAiProvider;
import io.switchboard.ai.model.Prompt;
import io.vertx.core.Vertx;

/**
 * The model call, guarded: one retry with backoff, and a circuit breaker that stops calling a failing model for a
 * while; each try is bounded by the provider's timeout. A failure that survives all that reaches ReplyService,
 * which answers with the fallback message.
 */
@ApplicationScoped
@Startup // a provider or model URL that cannot work stops the service at start, not each answer
public class ModelCall {
    private static final Logger LOG = Logger.getLogger(ModelCall.class);

    private final ModelProvider provider;

    ModelCall(AiConfig config, KnowledgeBase knowledge, Vertx vertx) {
        this.provider = switch (config.ai().provider()) {
            case "openai" -> new OpenAiProvider(vertx, config.ai().openai(), config.ai().timeout(), config.ai().parallelAnswers());
            case "local" -> new LocalProvider(knowledge);
            default -> throw new IllegalArgumentException("SWITCHBOARD_AI_PROVIDER must be local or openai, not " + config.ai().provider());
        };
        LOG.infof("model provider: %s", provider.name());
    }

    @Retry(maxRetries = 1, delay = 200)
    @ExponentialBackoff
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.8) // how long it stays open: application.properties
    @WithSpan("switchboard.ai.model-call")
    public String answer(Prompt prompt) {
        String answer = provider.answer(prompt);
        if (answer == null || answer.isBlank()) {
            throw new IllegalStateException("the model returned an empty answer");
        }
        return answer.strip();
    }

    public String providerName() {
        return provider.name();
    }

    public boolean followsInstructions() {
        return provider.followsInstructions();
    }
}
