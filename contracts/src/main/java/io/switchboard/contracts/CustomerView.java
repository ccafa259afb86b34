package io.switchboard.contracts;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a customer may see of their conversation and its messages, over REST and on their socket: the public state
 * and the messages, none of the internals (tags, assignee, workflow and execution ids, delivery errors, the AI's
 * outcome or provider, the contact record). Agents see the full views. One allow-list, used by chat-service and
 * notifier-service alike, so the two can never disagree.
 */
public final class CustomerView {
    static final List<String> CONVERSATION_FIELDS = List.of("id", "channel", "status", "rating", "created_at", "updated_at");
    static final List<String> MESSAGE_FIELDS = List.of("id", "conversation_id", "sender_type", "sender_name", "content",
            "message_type", "created_at", "edited_at");

    private CustomerView() {
    }

    public static ObjectNode conversation(JsonNode full) {
        return only(full, CONVERSATION_FIELDS);
    }

    public static ObjectNode message(JsonNode full) {
        return only(full, MESSAGE_FIELDS);
    }

    /** The data of a chat event as a customer's socket gets it. */
    public static ObjectNode eventData(JsonNode data) {
        ObjectNode view = Json.object();
        if (data == null) {
            return view;
        }
        if (data.hasNonNull("conversation")) {
            view.set("conversation", conversation(data.get("conversation")));
        }
        if (data.has("ai_enabled")) {
            // the AI state: whether a person will answer, nothing of the prompt, context or who switched it
            view.set("ai_enabled", data.get("ai_enabled"));
        }
        if (data.path("read").hasNonNull("up_to")) {
            // that someone read their messages, not who
            view.put("seen_up_to", data.path("read").path("up_to").asText());
        }
        if (data.hasNonNull("message")) {
            view.set("message", message(data.get("message")));
            view.set("content", data.path("message").path("content"));
        }
        return view;
    }

    private static ObjectNode only(JsonNode full, List<String> fields) {
        ObjectNode view = Json.object();
        for (String field : fields) {
            if (full != null && full.has(field)) {
                view.set(field, full.get(field));
            }
        }
        return view;
    }
}
