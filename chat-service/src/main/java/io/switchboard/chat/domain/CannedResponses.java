package io.switchboard.chat.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.quarkus.panache.common.Sort;
import io.switchboard.chat.ChatConfig;
import io.switchboard.common.domain.DomainException;
import io.switchboard.common.security.Caller;
import io.switchboard.common.template.TemplateContext;
import io.switchboard.common.template.Templates;
import io.switchboard.contracts.Json;

/**
 * The team's canned responses. Any agent uses and adds them; the one who made a response or an admin changes or
 * deletes it. Content is a template in the workflows' language, checked when saved and rendered for one conversation.
 */
@ApplicationScoped
public class CannedResponses {
    private static final Pattern SHORT_CODE = Pattern.compile("[\\p{L}\\p{N}_-]{1,32}");

    private final int maxContentLength;
    private final Conversations conversations;

    CannedResponses(ChatConfig config, Conversations conversations) {
        this.maxContentLength = config.maxContentLength();
        this.conversations = conversations;
    }

    public record Input(String shortCode, String content) {
    }

    public List<CannedResponse> list() {
        return CannedResponse.listAll(Sort.ascending("shortCode"));
    }

    @Transactional
    public CannedResponse create(Input input, Caller caller) {
        check(input);
        ensureFree(input.shortCode(), null);
        var response = new CannedResponse();
        response.id = UUID.randomUUID();
        response.shortCode = input.shortCode();
        response.content = input.content();
        response.createdBy = caller.agentId();
        response.createdAt = response.updatedAt = Instant.now();
        response.persist();
        return response;
    }

    @Transactional
    public CannedResponse update(UUID id, Input input, Caller caller) {
        check(input);
        CannedResponse response = mayChange(get(id), caller);
        ensureFree(input.shortCode(), id);
        response.shortCode = input.shortCode();
        response.content = input.content();
        response.updatedAt = Instant.now();
        return response;
    }

    @Transactional
    public void delete(UUID id, Caller caller) {
        mayChange(get(id), caller).delete();
    }

    /** The response of that short code rendered for the conversation: its contact and its state as they are now. */
    public String render(String shortCode, UUID conversationId) {
        if (shortCode == null || shortCode.isBlank()) {
            throw DomainException.invalid("short_code", "short_code is required");
        }
        CannedResponse response = byShortCode(shortCode)
                .orElseThrow(() -> DomainException.invalid("short_code", "no canned response has the short code " + shortCode));
        var view = Views.ConversationView.of(conversations.get(conversationId));
        return Templates.render(response.content, TemplateContext.of(Json.MAPPER.valueToTree(view.contact()), Json.MAPPER.valueToTree(view)));
    }

    private static Optional<CannedResponse> byShortCode(String shortCode) {
        return CannedResponse.find("lower(shortCode) = lower(?1)", shortCode).firstResultOptional();
    }

    private static CannedResponse get(UUID id) {
        CannedResponse response = CannedResponse.findById(id);
        if (response == null) {
            throw DomainException.notFound("canned response", id);
        }
        return response;
    }

    private static CannedResponse mayChange(CannedResponse response, Caller caller) {
        if (!caller.isAdmin() && (response.createdBy == null || !response.createdBy.equals(caller.agentId()))) {
            throw DomainException.forbidden("only the agent who made a canned response, or an admin, may change it");
        }
        return response;
    }

    private static void ensureFree(String shortCode, UUID self) {
        byShortCode(shortCode).filter(other -> !other.id.equals(self)).ifPresent(other -> {
            throw DomainException.conflict("short_code", "the short code " + shortCode + " is taken");
        });
    }

    private void check(Input input) {
        if (input == null) {
            throw DomainException.invalid("body", "a JSON body is required");
        }
        if (input.shortCode() == null || !SHORT_CODE.matcher(input.shortCode()).matches()) {
            throw DomainException.invalid("short_code", "short_code must be 1 to 32 letters, digits, _ or -");
        }
        if (input.content() == null || input.content().isBlank()) {
            throw DomainException.invalid("content", "content must not be empty");
        }
        if (input.content().length() > maxContentLength) {
            throw DomainException.invalid("content", "content is longer than " + maxContentLength + " characters");
        }
        Templates.problem(input.content()).ifPresent(problem -> {
            throw DomainException.invalid("content", "content is not a valid template: " + problem);
        });
    }
}
