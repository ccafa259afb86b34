package io.switchboard.contracts;

import java.time.Instant;

/**
 * The data of an {@link EventTypes#AGENT_UPDATED} event on {@link Topics#AGENT_EVENTS}: whether an agent account may
 * act, and the moment before which its access tokens no longer count (set when it is deactivated).
 */
public record AgentStatus(String agentId, boolean active, Instant tokensNotBefore) {
}
