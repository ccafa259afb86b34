package io.switchboard.ai.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.common.annotation.Blocking;
import io.switchboard.ai.AiConfig;
import io.switchboard.ai.control.AiState;
import io.switchboard.ai.control.ControlStore;
import io.switchboard.common.api.AgentAuth;

/** {@code GET /api/conversations/{id}/ai}: the AI state as ai-service sees it. Agents only. */
@Path("/api/conversations/{id}/ai")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class AiStateResource {
    private final ControlStore control;
    private final String agentToken;

    AiStateResource(ControlStore control, AiConfig config) {
        this.control = control;
        this.agentToken = config.agentToken();
    }

    @GET
    public AiState get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String conversationId) {
        AgentAuth.requireAgent(agentToken, authorization);
        return control.read(conversationId);
    }
}
