package io.switchboard.chat.messaging;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.switchboard.contracts.SenderType;
import io.switchboard.common.messaging.EnvelopeBatch;
import io.switchboard.common.messaging.ProcessedLog;
import io.switchboard.contracts.AssignmentStrategy;
import io.switchboard.contracts.CommandType;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.Json;
import io.switchboard.contracts.Topics;
import io.switchboard.chat.domain.Conversation;
import io.switchboard.chat.domain.Conversations;
import io.switchboard.chat.domain.IdempotencyKeys;

/**
 * Applies a batch of commands in one transaction, in order, the batch's conversations locked first in one statement
 * and the idempotency keys of its messages looked up in one more.
 * Each id is recorded in that transaction, so a redelivered command changes nothing twice; a refused one rolls the
 * batch back, and the batch is applied again one by one.
 */
@ApplicationScoped
public class ChatCommands {
    private static final Logger LOG = Logger.getLogger(ChatCommands.class);

    static final String CONSUMER = "chat-commands";

    private final Conversations conversations;
    private final IdempotencyKeys idempotencyKeys;
    private final ProcessedLog processed;

    ChatCommands(Conversations conversations, IdempotencyKeys idempotencyKeys, DataSource dataSource) {
        this.conversations = conversations;
        this.idempotencyKeys = idempotencyKeys;
        this.processed = new ProcessedLog(dataSource, CONSUMER);
    }

    @Transactional(rollbackOn = Exception.class)
    public void apply(List<EnvelopeBatch.Item> commands) throws Exception {
        // the batch's ids in one statement: those recorded before (or twice in the batch) were applied already
        ProcessedLog.Marks marks = processed.marks(commands.stream().map(EnvelopeBatch.Item::id).toList());
        Conversation.lockAll(commands.stream().flatMap(command -> conversationOf(command.envelope()).stream()).toList());
        // and the messages' idempotency keys in one more, instead of one statement a message
        idempotencyKeys.lookUp(commands.stream().map(EnvelopeBatch.Item::envelope)
                .filter(command -> CommandType.parse(command.type()).orElse(null) == CommandType.SEND_MESSAGE)
                .map(ChatCommands::idempotencyKeyOf).toList());
        for (EnvelopeBatch.Item command : commands) {
            if (marks.firstTime(command.id())) {
                command.inTrace(() -> applyOne(command.envelope()));
            } else {
                LOG.debugf("command %s already applied, skipped", command.id());
            }
        }
    }

    private void applyOne(Envelope command) {
        UUID conversationId = parseConversation(command);
        // loaded under the lock every change takes, so the change below reads it once
        if (Conversation.lockById(conversationId).isEmpty()) {
            // a command about a conversation that is not here cannot succeed later either
            LOG.warnf("command %s (%s) for unknown conversation %s ignored", command.id(), command.type(), conversationId);
            return;
        }
        // a refused command (DomainException) rolls back and goes to the dead-letter topic
        apply(command, conversationId);
    }

    private void apply(Envelope command, UUID conversationId) {
        CommandType type = CommandType.parse(command.type())
                .filter(t -> t.topic().equals(Topics.CHAT_COMMANDS))
                .orElseThrow(() -> new IllegalArgumentException("unknown command type " + command.type()));
        switch (type) {
            case SEND_MESSAGE -> {
                // only the automation writes through Kafka: agents post through the API as themselves, and a record
                // claiming to be an agent or the customer is refused (dead-letter topic), whoever could write it
                SenderType sender = SenderType.parse(command.text("sender_type"))
                        .filter(s -> s == SenderType.AI || s == SenderType.WORKFLOW)
                        .orElseThrow(() -> new IllegalArgumentException("sender_type must be ai or workflow"));
                Map<String, Object> metadata = command.data().has("metadata")
                        ? Json.MAPPER.convertValue(command.data().get("metadata"), Map.class)
                        : new HashMap<>();
                conversations.addMessage(conversationId, new Conversations.NewMessage(sender, command.text("content"),
                        command.text("message_type"), metadata, idempotencyKeyOf(command), command.cause()));
            }
            case SET_CONVERSATION_STATUS -> conversations.setStatus(conversationId, command.text("status"), command.cause());
            case ADD_TAG -> conversations.addTag(conversationId, command.text("tag"), command.cause());
            case REMOVE_TAG -> conversations.removeTag(conversationId, command.text("tag"), command.cause());
            case ASSIGN_CONVERSATION -> {
                if (AssignmentStrategy.parse(command.text("strategy")).isPresent()) {
                    conversations.assignRoundRobin(conversationId, command.cause());
                } else {
                    conversations.assign(conversationId, parseAgent(command.text("agent_id")), command.cause());
                }
            }
            default -> throw new IllegalArgumentException("not a chat-service command: " + command.type());
        }
    }

    /** The key a sent message is stored once under: the sender's, or else the command's id. */
    private static String idempotencyKeyOf(Envelope command) {
        String key = command.text("idempotency_key");
        return key == null ? command.id() : key;
    }

    private static UUID parseAgent(String agentId) {
        try {
            return UUID.fromString(agentId);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("agent_id must be an agent id, or strategy round_robin");
        }
    }

    private static Optional<UUID> conversationOf(Envelope command) {
        try {
            return Optional.of(UUID.fromString(command.subject()));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }

    private static UUID parseConversation(Envelope command) {
        return conversationOf(command)
                .orElseThrow(() -> new IllegalArgumentException("subject is not a conversation id: " + command.subject()));
    }
}
