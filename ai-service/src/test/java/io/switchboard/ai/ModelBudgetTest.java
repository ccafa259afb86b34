package io.switchboard.ai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.Topics;
import io.switchboard.testing.KafkaTestResource;
import io.switchboard.testing.OpenAiStubResource;
import io.switchboard.testing.PostgresTestResource;
import io.switchboard.testing.TopicProbe;

/** Past the model-call budget a conversation gets the fallback and a person, not a paid call. */
@QuarkusTest
@TestProfile(ModelBudgetTest.TwoCallsAMinute.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OpenAiStubResource.class)
class ModelBudgetTest {
    public static class TwoCallsAMinute implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.ai.max-calls-per-minute", "2");
        }
    }

    @jakarta.inject.Inject
    io.quarkus.redis.datasource.RedisDataSource redis;

    @Test
    void pastTheBudgetTheConversationGetsTheFallbackAndAPerson() {
        // the count lives in Redis, shared with any earlier run in this minute: start from a clean one
        redis.key().del("switchboard:limit:model-calls:all");
        String marker = UUID.randomUUID().toString();
        try (TopicProbe chatCommands = TopicProbe.of(Topics.CHAT_COMMANDS)) {
            List<String> conversations = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(), UUID.randomUUID().toString());
            for (String conversation : conversations) {
                AiServiceTest.replyRequest(conversation, "budget " + marker + " " + conversation);
                chatCommands.awaitEnvelopes(conversation, 1, Duration.ofSeconds(30));
            }
            assertEquals(2, OpenAiStubResource.stub().requestsMentioning(marker).size(), "two calls, then none");
            List<Envelope> third = chatCommands.awaitEnvelopes(conversations.get(2), 2, Duration.ofSeconds(30));
            assertEquals("fallback", third.get(0).data().path("metadata").path("outcome").asText());
            assertEquals("needs_human", third.get(1).text("tag"));
        }
    }
}
