package io.switchboard.notifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.contracts.CustomerTokens;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.Json;
import io.switchboard.contracts.Topics;
import io.switchboard.testing.KafkaTestResource;
import io.switchboard.testing.TopicProbe;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class FanOutTest {
    // the %test key pair of chat-service: tokens signed as chat-service signs them
    private static final String PRIVATE_KEY = "MC4CAQAwBQYDK2VwBCIEIMAJTsML8d3HAUsGXnyXVjOJxeBzL6f9xzJKp/urF/hz";
    private static final String PUBLIC_KEY = "MCowBQYDK2VwAyEAYeoLV2+E1Uk6I1jliLDaw7l6nQTuHIedM/eeIzHe9XE=";
    private static final CustomerTokens TOKENS = CustomerTokens.signer(PRIVATE_KEY, PUBLIC_KEY, Duration.ofHours(1));

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    /** A real WebSocket client that queues the frames it receives. */
    static final class Client implements WebSocket.Listener {
        final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
        final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    frames.add(Json.MAPPER.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }

        JsonNode next(String type) throws InterruptedException {
            while (true) {
                JsonNode frame = frames.poll(20, TimeUnit.SECONDS);
                if (frame == null || type.equals(frame.path("type").asText())) {
                    return frame;
                }
            }
        }
    }

    Client connect(String path) {
        Client client = new Client();
        HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + path), client).join();
        return client;
    }

    int refusedWith(String path) {
        try {
            connect(path);
            return 101;
        } catch (CompletionException e) {
            return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
        }
    }

    static Envelope messageCreated(String conversationId, String content) {
        var data = Json.object().put("content", content);
        data.putObject("message").put("id", UUID.randomUUID().toString()).put("sender_type", "workflow").put("content", content)
                .put("message_type", "support").putObject("metadata").put("workflow_id", "wf-1");
        return Envelope.of("message_created", "chat-service", conversationId, null, data);
    }

    @Test
    void aCustomerGetsOnlyTheirConversationAndTheInboxGetsAllInOrder() throws Exception {
        String mine = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        Client customer = connect("/ws/conversations/" + mine + "?token=" + TOKENS.issue(mine));
        Client inbox = connect("/ws/inbox?token=dev-agent-token");
        assertEquals("ready", customer.next("ready").path("type").asText());
        inbox.next("ready");

        TopicProbe.send(Topics.CHAT_EVENTS, messageCreated(other, "not for you"));
        TopicProbe.send(Topics.CHAT_EVENTS, messageCreated(mine, "first"));
        TopicProbe.send(Topics.CHAT_EVENTS, messageCreated(mine, "second"));

        JsonNode first = customer.next("message.created");
        assertEquals("first", first.path("data").path("message").path("content").asText());
        assertEquals("wf-1", first.path("data").path("message").path("metadata").path("workflow_id").asText());
        assertEquals(mine, first.path("conversation_id").asText());
        assertEquals("second", customer.next("message.created").path("data").path("content").asText());
        assertNull(customer.frames.poll(1, TimeUnit.SECONDS), "nothing of the other conversation");

        List<String> seen = List.of(inbox.next("message.created").path("data").path("content").asText(),
                inbox.next("message.created").path("data").path("content").asText(),
                inbox.next("message.created").path("data").path("content").asText());
        assertTrue(seen.indexOf("first") < seen.indexOf("second"), seen.toString());
        assertTrue(seen.contains("not for you"));
    }

    @Test
    void badTokensAreRefusedAtTheHandshake() {
        String mine = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        assertEquals(401, refusedWith("/ws/conversations/" + mine));
        assertEquals(403, refusedWith("/ws/conversations/" + mine + "?token=" + TOKENS.issue(other)));
        assertEquals(403, refusedWith("/ws/conversations/" + mine + "?token=forged"));
        assertEquals(403, refusedWith("/ws/inbox?token=" + TOKENS.issue(mine)));
    }
}
