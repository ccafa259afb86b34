package io.switchboard.chat.command;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.switchboard.chat.conversation.Conversation;
import io.switchboard.chat.conversation.Conversations;
import io.switchboard.chat.conversation.SenderType;
import io.switchboard.contracts.CommandTypes;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.Json;

/**
 * Applies one command in one transaction. Its id is recorded in that transaction, so a redelivered command
 * changes nothing twice.
 */
@ApplicationScoped
public class ChatCommands {
    private static final Logger LOG = Logger.getLogger(ChatCommands.class);

    private final Conversations conversations;
    private final EntityManager em;

    ChatCommands(Conversations conversations, EntityManager em) {
        this.conversations = conversations;
        this.em = em;
    }

    @Transactional
    public void apply(Envelope command) {
        int inserted = em.createNativeQuery("insert into processed_commands (id) values (?1) on conflict do nothing")
                .setParameter(1, command.id()).executeUpdate();
        if (inserted == 0) {
            LOG.debugf("command %s already applied, skipped", command.id());
            return;
        }
        UUID conversationId = parseConversation(command);
        if (Conversation.findById(conversationId) == null) {
            // a command about a conversation that is not here cannot succeed later either
            LOG.warnf("command %s (%s) for unknown conversation %s ignored", command.id(), command.type(), conversationId);
            return;
        }
        try {
            apply(command, conversationId);
        } catch (io.switchboard.common.api.ApiException e) {
            throw new IllegalArgumentException("invalid command " + command.id() + ": " + e.getMessage(), e);
        }
    }

    private void apply(Envelope command, UUID conversationId) {
        switch (command.type()) {
            case CommandTypes.SEND_MESSAGE -> {
                SenderType sender = SenderType.parse(command.text("sender_type"))
                        .filter(s -> s != SenderType.CUSTOMER)
                        .orElseThrow(() -> new IllegalArgumentException("sender_type must be workflow, ai or agent"));
                String key = command.text("idempotency_key");
                Map<String, Object> metadata = command.data().has("metadata")
                        ? Json.MAPPER.convertValue(command.data().get("metadata"), Map.class)
                        : new HashMap<>();
                conversations.addMessage(conversationId, new Conversations.NewMessage(sender, command.text("content"),
                        command.text("message_type"), metadata, key == null ? command.id() : key, command.cause()));
            }
            case CommandTypes.SET_CONVERSATION_STATUS -> conversations.setStatus(conversationId, command.text("status"), command.cause());
            case CommandTypes.ADD_TAG -> conversations.addTag(conversationId, command.text("tag"), command.cause());
            case CommandTypes.REMOVE_TAG -> conversations.removeTag(conversationId, command.text("tag"), command.cause());
            case CommandTypes.ASSIGN_CONVERSATION -> {
                if (CommandTypes.ROUND_ROBIN.equals(command.text("strategy"))) {
                    conversations.assignRoundRobin(conversationId, command.cause());
                } else {
                    conversations.assign(conversationId, parseAgent(command.text("agent_id")), command.cause());
                }
            }
            default -> throw new IllegalArgumentException("unknown command type " + command.type());
        }
    }

    private static UUID parseAgent(String agentId) {
        try {
            return UUID.fromString(agentId);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("agent_id must be an agent id, or strategy round_robin");
        }
    }

    private static UUID parseConversation(Envelope command) {
        try {
            return UUID.fromString(command.subject());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("subject is not a conversation id: " + command.subject());
        }
    }
}
