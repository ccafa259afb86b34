package io.switchboard.ai.api;

import java.util.Arrays;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.common.annotation.Blocking;
import io.switchboard.common.domain.DomainException;
import io.switchboard.common.domain.Inputs;
import io.switchboard.contracts.AiControl;
import io.switchboard.common.security.Roles;
import io.switchboard.ai.domain.ControlSource;
import io.switchboard.ai.domain.ControlStore;
import io.switchboard.ai.reply.ModelCall;

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
    private final ControlStore control;
    private final ModelCall model;

    AiStateResource(ControlStore control, ModelCall model) {
        this.control = control;
        this.model = model;
    }

    public record ControlInput(String action, String customPrompt) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public AiStateView control(@PathParam("id") String conversationId,
            ControlInput input) {
        requireUuid(conversationId);
        AiControl action = AiControl.parse(input == null ? null : input.action()).orElseThrow(() -> DomainException.invalid("action",
                "action must be one of " + Arrays.stream(AiControl.values()).map(AiControl::wire).toList()));
        if (action == AiControl.CUSTOM_PROMPT && (input.customPrompt() == null || input.customPrompt().isBlank())) {
            throw DomainException.invalid("custom_prompt", "custom_prompt is required for the custom_prompt action");
        }
        return AiStateView.of(control.control(conversationId, action, input.customPrompt(), ControlSource.AGENT), model);
    }

    @GET
    public AiStateView get(@PathParam("id") String conversationId) {
        requireUuid(conversationId);
        return AiStateView.of(control.read(conversationId), model);
    }

    /** Conversation ids are UUIDs; anything else would only make stray Redis keys. */
    private static void requireUuid(String conversationId) {
        Inputs.fieldId(conversationId, "id", "conversation id must be a UUID");
    }
}
