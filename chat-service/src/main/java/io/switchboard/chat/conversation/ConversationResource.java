package io.switchboard.chat.conversation;

import java.util.List;
import java.util.Map;
import java.util.UUID;

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
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.common.annotation.Blocking;
import io.switchboard.common.api.ApiException;
import io.switchboard.chat.auth.Access;
import io.switchboard.chat.auth.Caller;
import io.switchboard.contracts.Cause;

/** Public API v1 of conversations: see DESIGN.md. */
@Path("/api/conversations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Blocking
public class ConversationResource {
    private static final int MAX_PAGE_SIZE = 200;

    private final Conversations conversations;
    private final Access access;
    private final MessageRateLimit rateLimit;

    ConversationResource(Conversations conversations, Access access, MessageRateLimit rateLimit) {
        this.rateLimit = rateLimit;
        this.conversations = conversations;
        this.access = access;
    }

    public record ContactInput(String firstName, String lastName, String email, String phone, Map<String, Object> attributes) {
    }

    public record CreateConversation(String channel, ContactInput contact) {
    }

    public record Created(UUID id, UUID contactId, String channel, String status, String customerToken) {
    }

    public record MessageInput(String content) {
    }

    public record StatusInput(String status) {
    }

    public record TagInput(String tag) {
    }

    @POST
    public Response create(CreateConversation body) {
        if (body == null) {
            throw ApiException.badRequest("body", "a JSON body is required");
        }
        String channel = body.channel() == null ? "web" : body.channel();
        if (!"web".equals(channel)) {
            throw ApiException.badRequest("channel", "channel must be \"web\" here; Telegram and Instagram conversations start from their webhooks");
        }
        ContactInput contact = body.contact() == null ? new ContactInput(null, null, null, null, null) : body.contact();
        requireLength("contact.first_name", contact.firstName(), 100);
        requireLength("contact.last_name", contact.lastName(), 100);
        requireLength("contact.phone", contact.phone(), 40);
        if (contact.email() != null && !contact.email().matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            throw ApiException.badRequest("contact.email", "contact.email is not an email address");
        }
        Conversation conversation = conversations.start(channel, new Conversations.NewContact(contact.firstName(), contact.lastName(),
                contact.email(), contact.phone(), contact.attributes(), null, null));
        var created = new Created(conversation.id, conversation.contact.id, conversation.channel, conversation.status,
                access.issueCustomerToken(conversation.id));
        return Response.status(Response.Status.CREATED).entity(created).build();
    }

    @GET
    public Views.Page<Views.ConversationView> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("status") String status, @QueryParam("tag") String tag,
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) {
        access.requireAgent(authorization);
        checkPage(page, size);
        StringBuilder query = new StringBuilder("1 = 1");
        Parameters params = new Parameters();
        if (status != null) {
            query.append(" and status = :status");
            params.and("status", status);
        }
        if (tag != null) {
            query.append(" and array_contains(tags, :tag)");
            params.and("tag", tag);
        }
        var found = Conversation.<Conversation>find(query.toString(), Sort.descending("updatedAt"), params).page(Page.of(page, size));
        List<Views.ConversationView> items = found.list().stream().map(Views.ConversationView::of).toList();
        return new Views.Page<>(items, page, size, found.count());
    }

    @GET
    @Path("/{id}")
    public Views.ConversationView get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id) {
        UUID conversationId = parseId(id);
        access.forConversation(authorization, conversationId);
        return Views.ConversationView.of(find(conversationId));
    }

    @PATCH
    @Path("/{id}")
    public Views.ConversationView update(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id,
            StatusInput body) {
        UUID conversationId = parseId(id);
        access.requireAgent(authorization);
        if (body == null || body.status() == null) {
            throw ApiException.badRequest("status", "status is required");
        }
        return Views.ConversationView.of(conversations.setStatus(conversationId, body.status(), Cause.NONE));
    }

    @POST
    @Path("/{id}/messages")
    public Response post(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id,
            @HeaderParam("Idempotency-Key") String idempotencyKey, MessageInput body) {
        UUID conversationId = parseId(id);
        Caller caller = access.forConversation(authorization, conversationId);
        String content = body == null ? null : body.content();
        SenderType sender = caller.isAgent() ? SenderType.AGENT : SenderType.CUSTOMER;
        if (sender == SenderType.CUSTOMER) {
            rateLimit.admit(conversationId);
        }
        String key = idempotencyKey == null ? null : conversationId + ":" + sender.wire() + ":" + idempotencyKey;
        Message message;
        try {
            message = conversations.addMessage(conversationId, new Conversations.NewMessage(sender, content, null, Map.of(), key, Cause.NONE));
        } catch (RuntimeException e) {
            if (sender == SenderType.CUSTOMER) {
                // a customer retrying through an outage must not use up the flood limit with messages never stored
                rateLimit.release(conversationId);
            }
            throw e;
        }
        return Response.status(Response.Status.CREATED).entity(Views.MessageView.of(message)).build();
    }

    @GET
    @Path("/{id}/messages")
    public Views.Page<Views.MessageView> messages(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id,
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("100") int size) {
        UUID conversationId = parseId(id);
        access.forConversation(authorization, conversationId);
        checkPage(page, size);
        find(conversationId);
        var found = Message.<Message>find("conversationId", Sort.ascending("createdAt", "id"), conversationId).page(Page.of(page, size));
        return new Views.Page<>(found.list().stream().map(Views.MessageView::of).toList(), page, size, found.count());
    }

    @POST
    @Path("/{id}/tags")
    public Views.ConversationView addTag(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id,
            TagInput body) {
        UUID conversationId = parseId(id);
        access.requireAgent(authorization);
        return Views.ConversationView.of(conversations.addTag(conversationId, body == null ? null : body.tag(), Cause.NONE));
    }

    @DELETE
    @Path("/{id}/tags/{tag}")
    public Views.ConversationView removeTag(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id,
            @PathParam("tag") String tag) {
        UUID conversationId = parseId(id);
        access.requireAgent(authorization);
        return Views.ConversationView.of(conversations.removeTag(conversationId, tag, Cause.NONE));
    }

    private static Conversation find(UUID id) {
        Conversation conversation = Conversation.findById(id);
        if (conversation == null) {
            throw ApiException.notFound("conversation " + id + " not found");
        }
        return conversation;
    }

    private static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("conversation " + id + " not found");
        }
    }

    private static void checkPage(int page, int size) {
        if (page < 0) {
            throw ApiException.badRequest("page", "page must be 0 or more");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw ApiException.badRequest("size", "size must be between 1 and " + MAX_PAGE_SIZE);
        }
    }

    private static void requireLength(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw ApiException.badRequest(field, field + " is longer than " + max + " characters");
        }
    }
}
