package io.switchboard.ai.knowledge;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the help articles are embedded: the first answer would otherwise wait for it. */
@Readiness
@ApplicationScoped
public class KnowledgeBaseReadiness implements HealthCheck {
    private final KnowledgeBase knowledge;

    KnowledgeBaseReadiness(KnowledgeBase knowledge) {
        this.knowledge = knowledge;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("knowledge base embedded").status(knowledge.loaded()).build();
    }
}
