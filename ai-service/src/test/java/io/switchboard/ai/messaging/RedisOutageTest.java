package io.switchboard.ai.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.ai.domain.ConversationMemory;
import io.switchboard.contracts.CommandType;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.Json;
import io.switchboard.contracts.Topics;
import io.switchboard.testing.KafkaTestResource;
import io.switchboard.testing.OpenAiStub;
import io.switchboard.testing.OpenAiStubResource;
import io.switchboard.testing.PostgresTestResource;
import io.switchboard.testing.RedisGateResource;
import io.switchboard.testing.TcpGate;
import io.switchboard.testing.TopicProbe;

/**
 * Redis goes away from ai-service while the model answers (a {@link TcpGate} between them, the real Redis behind it).
 * The answer goes out through the broker regardless and its request is recorded as answered, so the conversation's
 * memory is the only place its question and answer can still be lost: the consumer waits for Redis to come back and
 * writes them then, rather than letting the batch fail and its next try skip the answered request.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OpenAiStubResource.class)
@WithTestResource(RedisGateResource.class)
class RedisOutageTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    RedisDataSource redis;

    @AfterEach
    void openAgain() {
        RedisGateResource.gate().open();
        OpenAiStubResource.stub().reset();
    }

    @Test
    void aQuestionAnsweredWhileRedisIsAwayReachesTheMemoryOnceRedisIsBack() throws Exception {
        OpenAiStub model = OpenAiStubResource.stub();
        TcpGate redisGate = RedisGateResource.gate();
        String conversation = UUID.randomUUID().toString();
        String question = "asked as Redis goes away " + conversation;
        try (TopicProbe chatCommands = TopicProbe.of(Topics.CHAT_COMMANDS)) {
            model.delay(1_500);
            TopicProbe.send(Topics.AI_COMMANDS, Envelope.of(CommandType.REPLY_REQUEST.wire(), "workflow-service", conversation, null,
                    Json.object().put("message_id", "q-1").put("content", question)));
            Awaitility.await().atMost(WAIT).until(() -> model.requestsAsking(question).size() == 1);
            // the control state and the memory are read: Redis goes while the model thinks
            redisGate.shut();
            List<Envelope> answers = chatCommands.awaitEnvelopes(conversation, 1, WAIT);
            assertEquals(1, answers.size(), "the answer goes out while Redis is away");
            // a few of the memory's writes fail before Redis is back
            Thread.sleep(1_500);
            redisGate.open();
            Awaitility.await().atMost(WAIT).until(() -> memory(conversation).size() == 2);
            assertEquals(List.of(question, "Stub answer to: " + question), memory(conversation), "the question and its answer, once each");
            assertEquals(1, chatCommands.drain(conversation, Duration.ofSeconds(2)).size(), "answered once");
            assertEquals(1, model.requestsAsking(question).size(), "one model call");
        }
    }

    private List<String> memory(String conversation) {
        return redis.list(String.class).lrange(ConversationMemory.key(conversation), 0, -1).stream()
                .map(turn -> Json.read(turn).path("content").asText()).toList();
    }
}
