package io.switchboard.common.template;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.Json;

/** The variables a template sees for one event: user (contact fields and attributes), conversation, event. */
public final class TemplateContext {
    private TemplateContext() {
    }

    public static ObjectNode of(Envelope event) {
        ObjectNode context = of(event.data().path("contact"), event.data().path("conversation"));
        ObjectNode eventNode = Json.object().put("id", event.id()).put("type", event.type());
        eventNode.set("data", event.data());
        context.set("event", eventNode);
        return context;
    }

    /** The variables outside any event (a canned response rendered in the inbox): user and conversation. */
    public static ObjectNode of(JsonNode contact, JsonNode conversation) {
        ObjectNode context = Json.object();
        ObjectNode user = Json.object();
        // attributes first, so that a field of the same name (first_name) wins over an attribute
        JsonNode attributes = contact.path("attributes");
        if (attributes.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = attributes.fields(); it.hasNext();) {
                var attribute = it.next();
                user.set(attribute.getKey(), attribute.getValue());
            }
        }
        if (contact.isObject()) {
            user.setAll((ObjectNode) contact);
        }
        context.set("user", user);
        context.set("conversation", conversation.isObject() ? conversation : Json.object());
        return context;
    }
}
