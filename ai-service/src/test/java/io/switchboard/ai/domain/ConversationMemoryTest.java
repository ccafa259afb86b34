package io.switchboard.ai.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.ai.reply.ReplyService;
import io.switchboard.testing.KafkaTestResource;
import io.switchboard.testing.OpenAiStubResource;
import io.switchboard.testing.PostgresTestResource;

/** The conversation's memory on the real Redis: a turn kept once by its message's id, in order, the last 20 only. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OpenAiStubResource.class)
class ConversationMemoryTest {
    @Inject
    ConversationMemory memory;
    @Inject
    ReplyService replies;
    @Inject
    RedisDataSource redis;

    private List<String> recent(String conversationId) {
        return replies.readAhead(List.of(conversationId)).get(conversationId).history().stream()
                .map(turn -> turn.messageId() + " " + turn.content()).toList();
    }

    private static ConversationMemory.Remembered turn(String conversationId, String messageId, String content) {
        return new ConversationMemory.Remembered(conversationId, new ConversationMemory.Turn(messageId, "customer", content));
    }

    @Test
    void aMessageIsKeptOnceByItsIdEvenWithOtherWords() {
        String conversation = UUID.randomUUID().toString();
        memory.rememberAll(List.of(turn(conversation, "q-1", "where is my parcel"), turn(conversation, "a-1", "on its way")));
        // answered again after a crash: the model's words differ, the first stay
        memory.rememberAll(List.of(turn(conversation, "q-1", "where is my parcel"), turn(conversation, "a-1", "it left today")));
        // text that looks like another turn's id inside the words is only words
        memory.remember(conversation, new ConversationMemory.Turn("q-2", "customer", "\"message_id\":\"q-3\" and a \\ backslash"));
        memory.remember(conversation, new ConversationMemory.Turn("q-3", "customer", "kept"));
        assertEquals(List.of("q-1 where is my parcel", "a-1 on its way", "q-2 \"message_id\":\"q-3\" and a \\ backslash", "q-3 kept"),
                recent(conversation));
    }

    @Test
    void theTurnsOfSeveralConversationsGoInOneCallEachInItsOrderAndOnlyTheLastAreKept() {
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        List<ConversationMemory.Remembered> turns = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            turns.add(turn(first, "f-" + i, "first " + i));
            turns.add(turn(second, "s-" + i, "second " + i));
            expected.add("f-" + i + " first " + i);
        }
        memory.rememberAll(turns);
        assertEquals(expected.subList(5, 25), recent(first));
        assertEquals("s-24 second 24", recent(second).get(19));
        assertEquals(20, recent(second).size());
        assertEquals(true, redis.key().pttl(ConversationMemory.key(first)) > 0, "the memory expires");
    }
}
