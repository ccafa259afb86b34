package io.switchboard.chat.api;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.common.annotation.Blocking;
import io.quarkus.security.identity.SecurityIdentity;
import io.switchboard.common.domain.DomainException;
import io.switchboard.common.domain.Inputs;
import io.switchboard.common.security.BearerAuthentication;
import io.switchboard.common.security.Caller;
import io.switchboard.common.security.Roles;
import io.switchboard.contracts.SenderType;
import io.switchboard.contracts.Cause;
import io.switchboard.contracts.CustomerView;
import io.switchboard.contracts.Json;
import io.switchboard.chat.domain.ContactRules;
import io.switchboard.chat.domain.Conversation;
import io.switchboard.chat.domain.ConversationLimit;
import io.switchboard.chat.domain.Conversations;
import io.switchboard.chat.domain.IdentityTokens;
import io.switchboard.chat.domain.Message;
import io.switchboard.chat.domain.MessageRateLimit;
import io.switchboard.chat.domain.TokenIssuer;
import io.switchboard.chat.domain.Views;

/** Public API v1 of conversations: agents see and change all; a customer's token reads and writes its own one. */
@Path("/api/conversations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Blocking
public class ConversationResource {
    private static final int MAX_PAGE_SIZE = 200;

    private final Conversations conversations;
    private final TokenIssuer tokens;
    private final MessageRateLimit rateLimit;
    private final SecurityIdentity identity;
    private final IdentityTokens identityTokens;
    private final ConversationLimit conversationLimit;
    private final RequestOrigin origin;

    ConversationResource(Conversations conversations, TokenIssuer tokens, MessageRateLimit rateLimit, SecurityIdentity identity,
            IdentityTokens identityTokens, ConversationLimit conversationLimit, RequestOrigin origin) {
        this.identityTokens = identityTokens;
        this.conversationLimit = conversationLimit;
        this.origin = origin;
        this.rateLimit = rateLimit;
        this.conversations = conversations;
        this.tokens = tokens;
        this.identity = identity;
    }

    public record ContactInput(String firstName, String lastName, String email, String phone, Map<String, Object> attributes) {
    }

    public record CreateConversation(String channel, ContactInput contact, String identityToken) {
    }

    public record Created(UUID id, UUID contactId, String channel, String status, boolean verified, String customerToken) {
    }

    public record MessageInput(String content) {
    }



    public record TagInput(String tag) {
    }

    public record RatingInput(Integer rating) {
    }

    public record ReadState(boolean moved) {
    }

    @POST
    public Response create(CreateConversation body, @jakarta.ws.rs.core.Context io.vertx.core.http.HttpServerRequest request) {
        if (body == null) {
            throw DomainException.invalid("body", "a JSON body is required");
        }
        String channel = body.channel() == null ? "web" : body.channel();
        if (!"web".equals(channel)) {
            throw DomainException.invalid("channel", "channel must be \"web\" here; Telegram and Instagram conversations start from their webhooks");
        }
        Conversations.NewContact contact;
        if (body.identityToken() != null) {
            // the site vouches for its visitor: the contact is the one of that user id, with the token's details
            var identity = identityTokens.verify(body.identityToken());
            contact = new Conversations.NewContact(identity.firstName(), identity.lastName(), identity.email(), identity.phone(),
                    identity.attributes(), null, null, identity.subject());
        } else {
            ContactInput input = body.contact() == null ? new ContactInput(null, null, null, null, null) : body.contact();
            ContactRules.check("contact", input.firstName(), input.lastName(), input.email(), input.phone(), input.attributes());
            contact = new Conversations.NewContact(input.firstName(), input.lastName(), input.email(), input.phone(),
                    input.attributes(), null, null);
        }
        // checked input first: a refused body does not use up the client's allowance
        conversationLimit.admit(origin.address(request));
        Conversation conversation = conversations.start(channel, contact);
        var created = new Created(conversation.id, conversation.contact.id, conversation.channel, conversation.status,
                conversation.contact.verified, tokens.issueCustomer(conversation.id));
        return Response.status(Response.Status.CREATED).entity(created).build();
    }

    @GET
    @RolesAllowed(Roles.AGENT)
    public Views.Page<Views.ConversationSummary> list(@QueryParam("status") String status, @QueryParam("tag") String tag,
            @QueryParam("assignee") String assignee,
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) {
        checkPage(page, size);
        UUID assigneeId = assignee == null || "unassigned".equals(assignee) ? null : assigneeFilter(assignee);
        return conversations.list(new Conversations.ListFilter(status, tag, assigneeId, "unassigned".equals(assignee)),
                BearerAuthentication.caller(identity).agentId(), page, size);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.AGENT, Roles.CUSTOMER})
    public Object get(@PathParam("id") String id) {
        UUID conversationId = parseId(id);
        Caller caller = callerFor(conversationId);
        var view = Views.ConversationView.of(conversations.get(conversationId));
        // a customer sees the public state of their conversation, an agent everything
        return caller.isAgent() ? view : CustomerView.conversation(Json.MAPPER.valueToTree(view));
    }

    @PATCH
    @Path("/{id}")
    @RolesAllowed(Roles.AGENT)
    public Views.ConversationView update(@PathParam("id") String id, com.fasterxml.jackson.databind.node.ObjectNode body) {
        UUID conversationId = parseId(id);
        // "assignee_id": null unassigns, a missing assignee_id leaves it as it is: the body is read as a tree to tell them apart
        boolean hasStatus = body != null && body.hasNonNull("status");
        boolean hasAssignee = body != null && body.has("assignee_id");
        if (!hasStatus && !hasAssignee) {
            throw DomainException.invalid("status", "status or assignee_id is required");
        }
        java.util.Optional<UUID> assignee = null;
        if (hasAssignee) {
            var node = body.get("assignee_id");
            assignee = node.isNull() ? java.util.Optional.empty() : java.util.Optional.of(parseAssignee(node.asText()));
        }
        return Views.ConversationView.of(conversations.change(conversationId, hasStatus ? body.get("status").asText() : null,
                assignee, Cause.NONE));
    }

    private static UUID parseAssignee(String value) {
        return Inputs.fieldId(value, "assignee_id", "assignee_id must be an agent id or null");
    }

    @POST
    @Path("/{id}/messages")
    @RolesAllowed({Roles.AGENT, Roles.CUSTOMER})
    public Response post(@PathParam("id") String id, @HeaderParam("Idempotency-Key") String idempotencyKey, MessageInput body) {
        UUID conversationId = parseId(id);
        Caller caller = callerFor(conversationId);
        String content = body == null ? null : body.content();
        SenderType sender = caller.isAgent() ? SenderType.AGENT : SenderType.CUSTOMER;
        var author = caller.kind() == Caller.Kind.AGENT ? new Conversations.Author(caller.agentId(), caller.name()) : null;
        if (sender == SenderType.CUSTOMER) {
            rateLimit.admit(conversationId);
        }
        String key = idempotencyKey == null ? null : conversationId + ":" + sender.wire() + ":" + idempotencyKey;
        Message message;
        try {
            message = conversations.addMessage(conversationId, new Conversations.NewMessage(sender, content, null, Map.of(), key, Cause.NONE, author));
        } catch (RuntimeException e) {
            if (sender == SenderType.CUSTOMER) {
                // a customer retrying through an outage must not use up the flood limit with messages never stored
                rateLimit.release(conversationId);
            }
            throw e;
        }
        var view = Views.MessageView.of(message);
        return Response.status(Response.Status.CREATED)
                .entity(caller.isAgent() ? view : CustomerView.message(Json.MAPPER.valueToTree(view))).build();
    }

    @GET
    @Path("/{id}/messages")
    @RolesAllowed({Roles.AGENT, Roles.CUSTOMER})
    public Views.Page<Object> messages(@PathParam("id") String id,
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("100") int size) {
        UUID conversationId = parseId(id);
        Caller caller = callerFor(conversationId);
        checkPage(page, size);
        var found = conversations.messages(conversationId, caller.isAgent(), page, size);
        List<Object> items = found.items().stream()
                .map(view -> caller.isAgent() ? view : (Object) CustomerView.message(Json.MAPPER.valueToTree(view))).toList();
        return new Views.Page<>(items, page, size, found.total());
    }

    /**
     * Sends one of our messages that Telegram or Instagram never took to the platform again: the agent's answer to a
     * {@code failed} delivery (a platform down longer than the retries lasted).
     */
    @POST
    @Path("/{id}/messages/{messageId}/retry")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.AGENT)
    public Views.MessageView retryDelivery(@PathParam("id") String id, @PathParam("messageId") String messageId) {
        return Views.MessageView.of(conversations.retryDelivery(parseId(id), Inputs.pathId(messageId, "message")));
    }

    /** A private note for the team: agents see it in the inbox, the customer never does. */
    @POST
    @Path("/{id}/notes")
    @RolesAllowed(Roles.AGENT)
    public Response addNote(@PathParam("id") String id, MessageInput body) {
        UUID conversationId = parseId(id);
        Caller caller = BearerAuthentication.caller(identity);
        var author = caller.kind() == Caller.Kind.AGENT ? new Conversations.Author(caller.agentId(), caller.name()) : null;
        var note = conversations.addNote(conversationId, body == null ? null : body.content(), author);
        return Response.status(Response.Status.CREATED).entity(Views.MessageView.of(note)).build();
    }

    /** The calling agent has read the conversation up to its latest message (its unread count becomes 0). */
    @POST
    @Path("/{id}/read")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.AGENT)
    public ReadState markRead(@PathParam("id") String id) {
        UUID conversationId = parseId(id);
        UUID agentId = BearerAuthentication.caller(identity).agentId();
        if (agentId == null) {
            throw DomainException.forbidden("read state is kept per agent account; the bootstrap token has none");
        }
        return new ReadState(conversations.markRead(conversationId, agentId));
    }

    /** The customer's rating of their resolved conversation, once. */
    @POST
    @Path("/{id}/rating")
    @RolesAllowed(Roles.CUSTOMER)
    public Object rate(@PathParam("id") String id, RatingInput body) {
        UUID conversationId = parseId(id);
        callerFor(conversationId);
        var view = Views.ConversationView.of(conversations.rate(conversationId, body == null ? null : body.rating()));
        return CustomerView.conversation(Json.MAPPER.valueToTree(view));
    }

    @POST
    @Path("/{id}/tags")
    @RolesAllowed(Roles.AGENT)
    public Views.ConversationView addTag(@PathParam("id") String id, TagInput body) {
        UUID conversationId = parseId(id);
        return Views.ConversationView.of(conversations.addTag(conversationId, body == null ? null : body.tag(), Cause.NONE));
    }

    @DELETE
    @Path("/{id}/tags/{tag}")
    @RolesAllowed(Roles.AGENT)
    public Views.ConversationView removeTag(@PathParam("id") String id, @PathParam("tag") String tag) {
        UUID conversationId = parseId(id);
        return Views.ConversationView.of(conversations.removeTag(conversationId, tag, Cause.NONE));
    }

    /** The caller, if it may touch this conversation: any agent, or the customer whose conversation it is (else 403). */
    private Caller callerFor(UUID conversationId) {
        Caller caller = BearerAuthentication.caller(identity);
        if (!caller.mayAccess(conversationId)) {
            throw DomainException.forbidden("this token does not grant conversation " + conversationId);
        }
        return caller;
    }

    /** {@code me} or an agent id. */
    private UUID assigneeFilter(String assignee) {
        if ("me".equals(assignee)) {
            UUID me = BearerAuthentication.caller(identity).agentId();
            if (me == null) {
                throw DomainException.invalid("assignee", "assignee=me needs an agent account's token");
            }
            return me;
        }
        return Inputs.fieldId(assignee, "assignee", "assignee must be me, unassigned or an agent id");
    }

    private static UUID parseId(String id) {
        return Inputs.pathId(id, "conversation");
    }

    private static void checkPage(int page, int size) {
        if (page < 0) {
            throw DomainException.invalid("page", "page must be 0 or more");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw DomainException.invalid("size", "size must be between 1 and " + MAX_PAGE_SIZE);
        }
    }
}
