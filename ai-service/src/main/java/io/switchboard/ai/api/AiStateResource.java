package io.switchboard.ai.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.common.annotation.Blocking;
import io.switchboard.ai.control.AiState;
import io.switchboard.ai.control.ControlStore;
import io.switchboard.ai.memory.ConversationMemory;
import io.switchboard.common.api.ApiException;
import io.switchboard.common.security.Roles;

/**
 * {@code GET /api/conversations/{id}/ai}: the AI state as ai-service sees it; {@code POST} with the body of the seed's
 * control action ({@code {"action": "disable|enable|custom_prompt|reset_context", "custom_prompt": ...}}) lets an
 * agent switch the AI off and on by hand. Agents only.
 */
@Path("/api/conversations/{id}/ai")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed(Roles.AGENT)
public class AiStateResource {
    private static final java.util.Set<String> ACTIONS = java.util.Set.of("disable", "enable", "custom_prompt", "reset_context");
    private final ControlStore control;
    private final ConversationMemory memory;

    AiStateResource(ControlStore control, ConversationMemory memory) {
        this.control = control;
        this.memory = memory;
    }

    public record ControlInput(String action, String customPrompt) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public AiState control(@PathParam("id") String conversationId,
            ControlInput input) {
        requireUuid(conversationId);
        if (input == null || input.action() == null || !ACTIONS.contains(input.action())) {
            throw ApiException.badRequest("action", "action must be one of " + new java.util.TreeSet<>(ACTIONS));
        }
        if ("custom_prompt".equals(input.action()) && (input.customPrompt() == null || input.customPrompt().isBlank())) {
            throw ApiException.badRequest("custom_prompt", "custom_prompt is required for the custom_prompt action");
        }
        AiState state = control.control(conversationId, input.action(), input.customPrompt());
        if ("reset_context".equals(input.action())) {
            memory.reset(conversationId);
        }
        return state;
    }

    @GET
    public AiState get(@PathParam("id") String conversationId) {
        requireUuid(conversationId);
        return control.read(conversationId);
    }

    /** Conversation ids are UUIDs; anything else would only make stray Redis keys. */
    private static void requireUuid(String conversationId) {
        try {
            java.util.UUID.fromString(conversationId);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("id", "conversation id must be a UUID");
        }
    }
}
