package io.switchboard.common.security;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the agent statuses are read: before that, a deactivated agent's token would still pass here. */
@Readiness
@ApplicationScoped
public class AgentStatusesReadiness implements HealthCheck {
    private final AgentStatuses statuses;

    AgentStatusesReadiness(AgentStatuses statuses) {
        this.statuses = statuses;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("agent statuses").status(statuses.caughtUp()).build();
    }
}
