package io.switchboard.notifier;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.Json;
import io.switchboard.contracts.Topics;
import io.switchboard.contracts.AgentStatus;
import io.switchboard.contracts.EventType;
import io.switchboard.testing.KafkaTestResource;
import io.switchboard.testing.TestKeys;
import io.switchboard.testing.TopicProbe;
import io.switchboard.notifier.domain.Clients;
import io.switchboard.notifier.api.SocketAccess;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class SocketsTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    /** A real WebSocket client that queues the frames it receives. */
    static final class TestClient implements WebSocket.Listener {
        final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
        final StringBuilder partial = new StringBuilder();
        WebSocket socket;

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

        volatile int closeCode;

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            closeCode = statusCode;
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

    @Inject
    Clients clients;

    private static boolean consuming;

    /**
     * Each replica reads from the end of the topic with a group of its own: an event sent before this app's consumer
     * has its partitions would never arrive. Wait until one does (the app restarts when another test class needs
     * other test resources).
     */
    @org.junit.jupiter.api.BeforeEach
    void awaitTheConsumer() {
        if (consuming) {
            return;
        }
        TestClient inbox = connect("/ws/inbox", "dev-agent-token");
        String probe = UUID.randomUUID().toString();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            TopicProbe.send(Topics.CHAT_EVENTS, messageCreated(probe, "probe"));
            JsonNode frame = inbox.frames.poll(1, TimeUnit.SECONDS);
            while (frame != null && !probe.equals(frame.path("conversation_id").asText())) {
                frame = inbox.frames.poll(200, TimeUnit.MILLISECONDS);
            }
            return frame != null;
        });
        inbox.socket.abort();
        consuming = true;
    }

    TestClient connect(String path, String token) {
        return connect(path, token, null);
    }

    /**
     * A socket as the pages open one: the token in {@code Sec-WebSocket-Protocol}, next to the subprotocol (none when
     * the token is null).
     */
    TestClient connect(String path, String token, String origin) {
        TestClient client = new TestClient();
        var builder = HttpClient.newHttpClient().newWebSocketBuilder();
        if (token != null) {
            builder.subprotocols(SocketAccess.SUBPROTOCOL, token);
        }
        if (origin != null) {
            builder.header("Origin", origin);
        }
        client.socket = builder.buildAsync(URI.create("ws://127.0.0.1:" + port + path), client).join();
        return client;
    }

    int refusedWith(String path, String token) {
        return refusedWith(path, token, null);
    }

    int refusedWith(String path, String token, String origin) {
        return handshakeStatus(() -> connect(path, token, origin));
    }

    /** 101 when the handshake upgraded (the socket is then dropped), else the status it was refused with. */
    static int handshakeStatus(java.util.function.Supplier<TestClient> open) {
        try {
            open.get().socket.abort();
            return 101;
        } catch (CompletionException e) {
            return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
        }
    }

    static String customerPath(String conversationId) {
        return "/ws/conversations/" + conversationId;
    }

    /** The customer's socket on their conversation, with their token. */
    TestClient connectCustomer(String conversationId) {
        return connectCustomer(conversationId, "");
    }

    /** The same, with a query ({@code ?last_event_id=...}). */
    TestClient connectCustomer(String conversationId, String query) {
        return connect(customerPath(conversationId) + query, TestKeys.customerToken(conversationId));
    }

    List<String> contents(TestClient client, int count) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            JsonNode frame = client.next("message.created");
            assertNotNull(frame, "frame " + i + " of " + count + " did not come");
            seen.add(frame.path("data").path("content").asText());
        }
        return seen;
    }

    /** A workflow's message, with the metadata a customer must never see. */
    static Envelope messageCreated(String conversationId, String content) {
        var event = message(EventType.MESSAGE_CREATED, "workflow", conversationId, content);
        ((ObjectNode) event.data().get("message")).putObject("metadata").put("workflow_id", "wf-1");
        return event;
    }

    /** A customer's message: its one event is message_received, which clients see as message.created too. */
    static Envelope messageReceived(String conversationId, String content) {
        return message(EventType.MESSAGE_RECEIVED, "customer", conversationId, content);
    }

    private static Envelope message(EventType type, String sender, String conversationId, String content) {
        var data = Json.object().put("content", content);
        data.putObject("message").put("id", UUID.randomUUID().toString()).put("sender_type", sender).put("content", content)
                .put("message_type", "support");
        return Envelope.of(type, "chat-service", conversationId, null, data);
    }

    @Test
    void aCustomerGetsOnlyTheirConversationAndTheInboxGetsAllInOrder() throws Exception {
        String mine = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        TestClient customer = connectCustomer(mine);
        TestClient inbox = connect("/ws/inbox", "dev-agent-token");
        assertEquals("ready", customer.next("ready").path("type").asText());
        inbox.next("ready");

        TopicProbe.send(Topics.CHAT_EVENTS, messageCreated(other, "not for you"));
        TopicProbe.send(Topics.CHAT_EVENTS, messageReceived(mine, "first"));
        TopicProbe.send(Topics.CHAT_EVENTS, messageCreated(mine, "second"));

        JsonNode first = customer.next("message.created");
        assertEquals("first", first.path("data").path("message").path("content").asText());
        assertEquals(mine, first.path("conversation_id").asText());
        JsonNode second = customer.next("message.created");
        assertEquals("second", second.path("data").path("content").asText());
        assertTrue(second.path("data").path("message").path("metadata").isMissingNode(), "no workflow ids for the customer: " + second);
        assertNull(customer.frames.poll(1, TimeUnit.SECONDS), "nothing of the other conversation");

        List<String> seen = new ArrayList<>();
        while (seen.size() < 3) {
            JsonNode frame = inbox.next("message.created");
            assertNotNull(frame, "inbox frames so far: " + seen);
            if (Set.of(mine, other).contains(frame.path("conversation_id").asText())) {
                seen.add(frame.path("data").path("content").asText());
            }
        }
        assertTrue(seen.indexOf("first") < seen.indexOf("second"), seen.toString());
        assertTrue(seen.contains("not for you"));
    }

    @Test
    void aCustomersFramesCarryThePublicStateOnlyAndAgentsGetEverything() throws Exception {
        String mine = UUID.randomUUID().toString();
        TestClient customer = connectCustomer(mine);
        TestClient agent = connect("/ws/conversations/" + mine, TestKeys.agentToken("Sam", "agent"));
        customer.next("ready");
        agent.next("ready");
        var data = Json.object();
        // markers that a random conversation id cannot contain (not hexadecimal)
        data.putObject("conversation").put("id", mine).put("status", "open").put("channel", "web").put("assignee_id", "agent-hidden")
                .putArray("tags").add("needs_human");
        data.putObject("contact").put("email", "ana@example.com");
        data.putObject("message").put("id", "m-1").put("sender_type", "ai").put("content", "Hello").put("delivery_error", "boom")
                .putObject("metadata").put("execution_id", "execution-hidden").put("outcome", "fallback").put("provider", "openai");
        TopicProbe.send(Topics.CHAT_EVENTS, Envelope.of("message_created", "chat-service", mine, null, data));

        JsonNode seen = customer.next("message.created").path("data");
        assertEquals("Hello", seen.path("message").path("content").asText());
        assertEquals("open", seen.path("conversation").path("status").asText());
        for (String hidden : List.of("tags", "assignee_id", "agent-hidden", "contact", "metadata", "delivery_error", "needs_human",
                "execution-hidden", "openai")) {
            assertFalse(seen.toString().contains(hidden), hidden + " reached the customer: " + seen);
        }
        JsonNode full = agent.next("message.created").path("data");
        assertEquals("execution-hidden", full.path("message").path("metadata").path("execution_id").asText());
        assertEquals("needs_human", full.path("conversation").path("tags").path(0).asText());
        customer.socket.abort();
        agent.socket.abort();
    }

    @Test
    void aiStateChangesReachTheInboxWholeAndTheCustomerAsOnOrOffOnly() throws Exception {
        String mine = UUID.randomUUID().toString();
        TestClient customer = connectCustomer(mine);
        TestClient inbox = connect("/ws/inbox", "dev-agent-token");
        customer.next("ready");
        inbox.next("ready");
        var data = Json.object().put("ai_enabled", false).put("disabled_by", "agent").put("custom_prompt", "Secret persona");
        data.putObject("context").put("tier", "gold");
        TopicProbe.send(Topics.AI_EVENTS, Envelope.of(EventType.AI_UPDATED, "ai-service", mine, null, data));

        JsonNode seen = customer.next("ai.updated");
        assertEquals(mine, seen.path("conversation_id").asText());
        assertEquals(Json.object().put("ai_enabled", false), seen.path("data"));
        JsonNode full;
        do {
            full = inbox.next("ai.updated");
        } while (!mine.equals(full.path("conversation_id").asText()));
        assertEquals("agent", full.path("data").path("disabled_by").asText());
        assertEquals("gold", full.path("data").path("context").path("tier").asText());
        customer.socket.abort();
        inbox.socket.abort();
    }

    @Test
    void aPrivateNoteReachesAgentsOnlyLiveAndOnReplay() throws Exception {
        String mine = UUID.randomUUID().toString();
        TestClient customer = connectCustomer(mine);
        TestClient agent = connect("/ws/conversations/" + mine, TestKeys.agentToken("Sam", "agent"));
        customer.next("ready");
        agent.next("ready");
        Envelope before = messageCreated(mine, "before");
        var data = Json.object();
        data.putObject("message").put("id", UUID.randomUUID().toString()).put("sender_type", "agent").put("private", true)
                .put("content", "private-marker: refund approved");
        TopicProbe.sendAll(Topics.CHAT_EVENTS, List.of(before, Envelope.of(EventType.NOTE_CREATED, "chat-service", mine, null, data),
                messageCreated(mine, "after")));

        assertEquals("private-marker: refund approved", agent.next("note.created").path("data").path("message").path("content").asText());
        List<String> types = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            JsonNode frame = customer.frames.poll(20, TimeUnit.SECONDS);
            assertNotNull(frame);
            types.add(frame.path("type").asText() + ":" + frame.path("data").path("content").asText());
        }
        assertEquals(List.of("message.created:before", "message.created:after"), types);
        assertNull(customer.frames.poll(1, TimeUnit.SECONDS), "nothing else, the note least of all");
        // a customer reconnecting after "before" is replayed "after" only; an agent gets the note too
        TestClient back = connectCustomer(mine, "?last_event_id=" + before.id());
        back.next("ready");
        assertEquals("after", back.next("message.created").path("data").path("content").asText());
        assertNull(back.frames.poll(1, TimeUnit.SECONDS));
        TestClient agentBack = connect("/ws/conversations/" + mine + "?last_event_id=" + before.id(),
                TestKeys.agentToken("Sam", "agent"));
        agentBack.next("ready");
        assertNotNull(agentBack.next("note.created"));
        for (TestClient client : List.of(customer, agent, back, agentBack)) {
            client.socket.abort();
        }
    }

    @Test
    void aCustomerLearnsThatTheirMessagesWereSeenAndNotByWhom() throws Exception {
        String mine = UUID.randomUUID().toString();
        TestClient customer = connectCustomer(mine);
        customer.next("ready");
        var data = Json.object();
        data.putObject("conversation").put("id", mine).put("status", "open");
        data.putObject("read").put("agent_id", "agent-hidden-id").put("up_to", "2026-11-28T10:00:00Z");
        TopicProbe.send(Topics.CHAT_EVENTS, Envelope.of(EventType.CONVERSATION_READ, "chat-service", mine, null, data));
        JsonNode seen = customer.next("conversation.read").path("data");
        assertEquals("2026-11-28T10:00:00Z", seen.path("seen_up_to").asText());
        assertFalse(seen.toString().contains("agent-hidden-id"), seen.toString());
        customer.socket.abort();
    }

    @Test
    void typingGoesFromCustomerToAgentsAndFromAgentToCustomerAtMostOncePerInterval() throws Exception {
        String mine = UUID.randomUUID().toString();
        TestClient customer = connectCustomer(mine);
        TestClient inbox = connect("/ws/inbox", TestKeys.agentToken("Sam", "agent"));
        customer.next("ready");
        inbox.next("ready");

        for (int i = 0; i < 5; i++) {
            customer.socket.sendText("{\"type\":\"typing\"}", true).join();
        }
        JsonNode typing = nextTypingOf(inbox, mine);
        assertEquals("customer", typing.path("data").path("sender_type").asText());
        assertNull(nextTypingOf(inbox, mine, 1), "five signals within the interval pass on as one");

        inbox.socket.sendText("{\"type\":\"typing\",\"conversation_id\":\"" + mine + "\"}", true).join();
        JsonNode agentTyping = customer.next("typing");
        assertEquals("agent", agentTyping.path("data").path("sender_type").asText());
        assertEquals("Sam", agentTyping.path("data").path("sender_name").asText());
        // nobody gets their own signal back, and a ping is still a ping
        customer.socket.sendText("ping", true).join();
        assertEquals("pong", customer.next("pong").path("type").asText());
        customer.socket.abort();
        inbox.socket.abort();
    }

    private static JsonNode nextTypingOf(TestClient client, String conversationId) throws InterruptedException {
        return nextTypingOf(client, conversationId, 20);
    }

    private static JsonNode nextTypingOf(TestClient client, String conversationId, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            JsonNode frame = client.frames.poll(200, TimeUnit.MILLISECONDS);
            if (frame != null && "typing".equals(frame.path("type").asText()) && conversationId.equals(frame.path("conversation_id").asText())) {
                return frame;
            }
        }
        return null;
    }

    @Test
    void anEventPublishedTwiceReachesASocketOnce() throws Exception {
        String mine = UUID.randomUUID().toString();
        TestClient customer = connectCustomer(mine);
        customer.next("ready");
        Envelope event = messageCreated(mine, "once");
        TopicProbe.sendAll(Topics.CHAT_EVENTS, List.of(event, event, messageCreated(mine, "after")));
        assertEquals(List.of("once", "after"), contents(customer, 2));
        assertNull(customer.frames.poll(1, TimeUnit.SECONDS), "no second copy");
    }

    @Test
    void aRecordThatIsNotAnEnvelopeIsSkippedAndTheRestOfItsPollStillArrives() throws Exception {
        String mine = UUID.randomUUID().toString();
        TestClient customer = connectCustomer(mine);
        customer.next("ready");
        TopicProbe.sendValues(Topics.CHAT_EVENTS, mine,
                List.of(Json.write(messageCreated(mine, "before")), "{not an envelope", Json.write(messageCreated(mine, "after"))));
        assertEquals(List.of("before", "after"), contents(customer, 2));
    }

    @Test
    void badTokensAreRefusedAtTheHandshake() {
        String mine = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        assertEquals(401, refusedWith("/ws/conversations/" + mine, null));
        // a token in the URL would land in access logs and browser history: it is not read at all
        assertEquals(401, refusedWith("/ws/conversations/" + mine + "?token=" + TestKeys.customerToken(mine), null));
        assertEquals(403, refusedWith(customerPath(mine), TestKeys.customerToken(other)));
        assertEquals(403, refusedWith(customerPath(mine), "forged"));
        assertEquals(403, refusedWith("/ws/inbox", TestKeys.customerToken(mine)));
    }

    @Test
    void originsOutsideTheAllowListAreRefused() {
        assertEquals(403, refusedWith("/ws/inbox", "dev-agent-token", "https://evil.example"));
        assertEquals(101, refusedWith("/ws/inbox", "dev-agent-token", "http://localhost:8080"));
    }

    @Test
    void theTokenMayTravelAsASubprotocol() throws Exception {
        String mine = UUID.randomUUID().toString();
        TestClient client = new TestClient();
        client.socket = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols(SocketAccess.SUBPROTOCOL, TestKeys.customerToken(mine))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/conversations/" + mine), client).join();
        assertEquals(SocketAccess.SUBPROTOCOL, client.socket.getSubprotocol());
        assertNotNull(client.next("ready"));
    }

    @Test
    void aReconnectingClientGetsWhatItMissedOnceAndInOrder() throws Exception {
        String mine = UUID.randomUUID().toString();
        TestClient before = connectCustomer(mine);
        before.next("ready");
        Envelope first = messageCreated(mine, "one");
        TopicProbe.sendAll(Topics.CHAT_EVENTS, List.of(first));
        assertEquals(first.id(), before.next("message.created").path("id").asText());
        before.socket.abort();

        TopicProbe.sendAll(Topics.CHAT_EVENTS, List.of(messageCreated(mine, "two"), messageCreated(UUID.randomUUID().toString(), "other"),
                messageCreated(mine, "three")));
        // the replica has them once a listener on the inbox saw the last one
        TestClient inbox = connect("/ws/inbox", "dev-agent-token");
        inbox.next("ready");
        Envelope marker = messageCreated(mine, "four");
        TopicProbe.sendAll(Topics.CHAT_EVENTS, List.of(marker));
        while (!"four".equals(inbox.next("message.created").path("data").path("content").asText())) {
            // skip what other tests published
        }

        TestClient after = connectCustomer(mine, "?last_event_id=" + first.id());
        after.next("ready");
        TopicProbe.sendAll(Topics.CHAT_EVENTS, List.of(messageCreated(mine, "five")));
        assertEquals(List.of("two", "three", "four", "five"), contents(after, 4));
        assertNull(after.frames.poll(1, TimeUnit.SECONDS), "no duplicates");

        TestClient lost = connectCustomer(mine, "?last_event_id=" + UUID.randomUUID());
        lost.next("ready");
        assertNotNull(lost.next("resync"), "an id no longer held asks the client to reload");
    }

    @Test
    void aClientThatMissedTooMuchIsToldToReloadNotCutOff() throws Exception {
        String mine = UUID.randomUUID().toString();
        TestClient before = connectCustomer(mine);
        before.next("ready");
        Envelope first = messageCreated(mine, "first");
        TopicProbe.sendAll(Topics.CHAT_EVENTS, List.of(first));
        assertEquals(first.id(), before.next("message.created").path("id").asText());
        before.socket.abort();
        List<Envelope> missed = new ArrayList<>();
        for (int i = 0; i < 1100; i++) {
            missed.add(messageCreated(mine, "missed " + i));
        }
        TopicProbe.sendAll(Topics.CHAT_EVENTS, missed);
        TestClient watcher = connectCustomer(mine);
        watcher.next("ready");
        TopicProbe.sendAll(Topics.CHAT_EVENTS, List.of(messageCreated(mine, "marker")));
        while (!"marker".equals(watcher.next("message.created").path("data").path("content").asText())) {
            // the replica holds them all once the marker arrives
        }

        TestClient after = connectCustomer(mine, "?last_event_id=" + first.id());
        after.next("ready");
        assertNotNull(after.next("resync"), "1100 missed frames are more than half the unflushed limit (2048): reload");
        TopicProbe.sendAll(Topics.CHAT_EVENTS, List.of(messageCreated(mine, "live")));
        assertEquals("live", after.next("message.created").path("data").path("content").asText(), "and it stays connected");
    }

    @Test
    void aClientThatStopsReadingIsCutOffWithoutDelayingOthers() throws Exception {
        String mine = UUID.randomUUID().toString();
        TestClient healthy = connectCustomer(mine);
        healthy.next("ready");
        ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor();
        try (RawSocket stalled = new RawSocket(port, customerPath(mine), TestKeys.customerToken(mine))) {
            // alive (it sends pings, so the idle timeout never ends it) but not reading: only the stall may cut it off
            pinger.scheduleAtFixedRate(() -> {
                try {
                    stalled.sendText("ping");
                } catch (IOException closed) {
                    pinger.shutdown();
                }
            }, 0, 500, TimeUnit.MILLISECONDS);
            // 8 MB on the wire: twice what the stalled socket's TCP buffers hold, so its writes stop making progress;
            // fewer frames than the bound of 2048, so that only the stall can cut it off (and never the reading client)
            int count = 2000;
            String filler = "x".repeat(4000);
            List<Envelope> flood = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                flood.add(messageCreated(mine, i + filler));
            }
            TopicProbe.sendAll(Topics.CHAT_EVENTS, flood);

            List<String> got = contents(healthy, count);
            assertTrue(got.get(count - 1).startsWith((count - 1) + "x"), "the reading client got every frame");
            // still not reading for longer than the stall timeout (3 s in tests) and a sweep (1 s): on a fast machine
            // the reading client is done before the stall shows, and reading now would end the stall
            Thread.sleep(6_000);
            List<RawSocket.Frame> frames = stalled.readUntilClosed(10_000);
            RawSocket.Frame last = frames.get(frames.size() - 1);
            assertEquals(RawSocket.CLOSE, last.opcode(), "closed after " + frames.size() + " frames");
            // (the frames handed to the network before the cut still come first: the close frame follows them)
            assertEquals(io.switchboard.notifier.domain.Client.TOO_SLOW.getCode(), last.closeCode());
        } finally {
            pinger.shutdownNow();
        }
    }

    /**
     * A client that drops its connection (a reset, no close frame) is gone: the server has nothing to close, so it
     * neither counts nor logs a close of its own, and Quarkus is not asked to close a closed connection (which it
     * logs as a warning: thousands of them when phones drop off).
     */
    @Test
    void aClientThatDropsItsConnectionLeavesNoWarningAndNoCloseOfTheServers() throws Exception {
        String mine = UUID.randomUUID().toString();
        List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                String message = record.getMessage() == null ? "" : record.getMessage();
                if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue() || message.startsWith("closing socket")) {
                    logged.add(record.getLevel() + " " + record.getLoggerName() + ": " + message);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        List<java.util.logging.Logger> watched = List.of(java.util.logging.Logger.getLogger("io.quarkus.websockets.next"),
                java.util.logging.Logger.getLogger("io.switchboard.notifier"));
        watched.forEach(logger -> logger.addHandler(capture));
        try {
            for (int i = 0; i < 5; i++) {
                RawSocket dropped = new RawSocket(port, customerPath(mine), TestKeys.customerToken(mine));
                awaitOpen(mine, 1);
                dropped.reset();
                awaitOpen(mine, 0);
            }
            // what a dropped connection makes the server do happens within milliseconds; a second is ample
            Thread.sleep(1_000);
            assertEquals(List.of(), logged);
        } finally {
            watched.forEach(logger -> logger.removeHandler(capture));
        }
    }

    @Test
    void aClientThatAnswersNoPingIsClosedWhenIdle() throws Exception {
        try (RawSocket silent = new RawSocket(port, "/ws/inbox", "dev-agent-token")) {
            List<RawSocket.Frame> frames = silent.readUntilClosed(20_000);
            RawSocket.Frame last = frames.get(frames.size() - 1);
            assertTrue(frames.stream().anyMatch(f -> f.opcode() == RawSocket.PING), "the server pinged");
            assertEquals(RawSocket.CLOSE, last.opcode());
            assertEquals(io.switchboard.notifier.domain.Client.IDLE.getCode(), last.closeCode());
        }
        TestClient answering = connect("/ws/inbox", "dev-agent-token");
        answering.next("ready");
        await("a client that pongs stays past the idle timeout").during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(8))
                .until(() -> !answering.socket.isInputClosed());
        answering.socket.sendText("ping", true).join();
        assertNotNull(answering.next("pong"));
    }

    @Test
    void eachTokenHoldsOnlyItsShareOfSockets() throws Exception {
        String mine = UUID.randomUUID().toString();
        List<TestClient> open = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            open.add(connectCustomer(mine));
            open.get(i).next("ready");
        }
        assertEquals(429, refusedWith(customerPath(mine), TestKeys.customerToken(mine)));
        open.get(0).socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        awaitOpen(mine, 2);
        assertEquals(101, refusedWith(customerPath(mine), TestKeys.customerToken(mine)));
    }

    @Test
    void eachAgentHasSocketsOfTheirOwnAndAllStayOpen() throws Exception {
        String sam = TestKeys.agentToken("Sam", "agent");
        String kim = TestKeys.agentToken("Kim", "admin");
        List<TestClient> inboxes = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            TestClient inbox = connect("/ws/inbox", i % 2 == 0 ? sam : kim);
            assertNotNull(inbox.next("ready"), "socket " + i);
            inboxes.add(inbox);
        }
        String conversation = UUID.randomUUID().toString();
        TopicProbe.send(Topics.CHAT_EVENTS, messageCreated(conversation, "to every inbox"));
        for (TestClient inbox : inboxes) {
            JsonNode frame;
            do {
                frame = inbox.next("message.created");
                assertNotNull(frame, "an inbox socket got no frame");
            } while (!conversation.equals(frame.path("conversation_id").asText()));
            assertEquals(0, inbox.closeCode, "closed");
        }
        // one agent's share is theirs alone: 20 per agent per replica by default
        List<TestClient> more = new ArrayList<>();
        for (int i = 13; i < 20; i++) {
            more.add(connect("/ws/inbox", sam));
            assertNotNull(more.get(more.size() - 1).next("ready"));
        }
        assertEquals(429, refusedWith("/ws/inbox", sam));
        assertEquals(101, refusedWith("/ws/inbox", kim));
        // every inbox gets every frame: left open, these would slow the other tests' floods
        inboxes.forEach(inbox -> inbox.socket.abort());
        more.forEach(inbox -> inbox.socket.abort());
    }

    @Test
    void aDeactivatedAgentsTokenNoLongerOpensSockets() throws Exception {
        String agentId = UUID.randomUUID().toString();
        String token = TestKeys.agentToken(agentId, "Lee", "agent", Duration.ofHours(1));
        assertEquals(101, refusedWith("/ws/inbox", token));
        TopicProbe.send(Topics.AGENT_EVENTS, Envelope.of(EventType.AGENT_UPDATED, "chat-service", agentId, null,
                Json.MAPPER.valueToTree(new AgentStatus(agentId, false, java.time.Instant.now()))));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> refusedWith("/ws/inbox", token) == 403);
    }

    @Test
    void anOversizedFrameClosesTheSocket() throws Exception {
        TestClient client = connect("/ws/inbox", "dev-agent-token");
        client.next("ready");
        client.socket.sendText("x".repeat(10_000), true);
        await("closed by the server").atMost(Duration.ofSeconds(10)).until(client.socket::isInputClosed);
        assertEquals(1009, client.closeCode);
    }

    void awaitOpen(String conversationId, int expected) {
        await(expected + " sockets open").atMost(Duration.ofSeconds(10)).until(() -> clients.openFor("customer:" + conversationId) == expected);
    }
}
