package io.switchboard.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;


/**
 * Who may call what, over every endpoint of the four services and both sockets, as the packaged system answers: no
 * token, a customer's token (for the conversation in the path), an agent, an admin, the bootstrap token, and tokens
 * that must count for nothing: expired, forged (other key, {@code alg: none}), and a deactivated agent's. Refused
 * writes change nothing.
 */
class RoleMatrixTest {
    private static final String PASSWORD = "a password long enough";
    private static final Api API = new Api();
    private static SystemUnderTest system;

    enum Who { NONE, CUSTOMER, AGENT, ADMIN, BOOTSTRAP, EXPIRED, FORGED, ALG_NONE, HS256_PUBLIC_KEY, DEACTIVATED }

    /** The least that may call an endpoint. */
    enum Needs { CUSTOMER_OR_AGENT, AGENT, ADMIN }

    record Endpoint(String name, String method, Supplier<String> url, Supplier<Object> body, Needs needs) {
    }

    private static final Map<Who, String> tokens = new LinkedHashMap<>();
    private static String conversation;
    private static String workflow;
    private static String someAgent;

    @BeforeAll
    static void start() throws Exception {
        system = SystemUnderTest.shared();
        JsonNode started = API.post(system.chatUrl() + "/api/conversations", null, Map.of("channel", "web",
                "contact", Map.of("first_name", "Matrix"))).ok();
        conversation = started.path("id").asText();
        tokens.put(Who.CUSTOMER, started.path("customer_token").asText());
        tokens.put(Who.AGENT, signIn(account("agent")));
        tokens.put(Who.ADMIN, signIn(account("admin")));
        tokens.put(Who.BOOTSTRAP, SystemUnderTest.AGENT_TOKEN);
        tokens.put(Who.EXPIRED, SystemUnderTest.TOKENS.issueAgent(UUID.randomUUID().toString(), "Old", "admin", Duration.ofSeconds(-60)));
        var otherKey = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        tokens.put(Who.FORGED, io.switchboard.common.security.Tokens.signer(
                java.util.Base64.getEncoder().encodeToString(otherKey.getPrivate().getEncoded()),
                java.util.Base64.getEncoder().encodeToString(otherKey.getPublic().getEncoded()))
                .issueAgent(UUID.randomUUID().toString(), "Mallory", "admin", Duration.ofHours(1)));
        var b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        tokens.put(Who.ALG_NONE, b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes()) + "."
                + b64.encodeToString(("{\"iss\":\"switchboard\",\"scope\":\"agent\",\"sub\":\"" + UUID.randomUUID()
                        + "\",\"roles\":[\"admin\",\"agent\"],\"exp\":9999999999}").getBytes()) + ".");
        // the classic key confusion: HS256 keyed with the (public) verification key
        String hsInput = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes()) + "."
                + b64.encodeToString(("{\"iss\":\"switchboard\",\"scope\":\"agent\",\"sub\":\"" + UUID.randomUUID()
                        + "\",\"roles\":[\"admin\",\"agent\"],\"exp\":9999999999}").getBytes());
        var mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(SystemUnderTest.PUBLIC_KEY.getBytes(), "HmacSHA256"));
        tokens.put(Who.HS256_PUBLIC_KEY, hsInput + "." + b64.encodeToString(mac.doFinal(hsInput.getBytes())));
        String leaver = account("agent");
        String leaverToken = signIn(leaver);
        String leaverId = API.get(system.chatUrl() + "/api/auth/me", leaverToken).ok().path("id").asText();
        API.patch(system.chatUrl() + "/api/agents/" + leaverId, SystemUnderTest.AGENT_TOKEN, Map.of("active", false)).ok();
        tokens.put(Who.DEACTIVATED, leaverToken);
        workflow = newWorkflow();
        someAgent = API.get(system.chatUrl() + "/api/auth/me", tokens.get(Who.AGENT)).ok().path("id").asText();

        // within 60 s every service refuses the deactivated agent: measured here, before the matrix relies on it
        long deactivatedAt = System.nanoTime();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> API.get(system.chatUrl() + "/api/conversations", leaverToken).status() == 401
                && API.get(system.workflowUrl() + "/api/workflows", leaverToken).status() == 401
                && API.get(system.aiUrl() + "/api/conversations/" + conversation + "/ai", leaverToken).status() == 401
                && handshake("/ws/inbox", leaverToken) == 403);
        System.out.printf("[roles] a deactivated agent was refused everywhere %d ms after the PATCH%n",
                Duration.ofNanos(System.nanoTime() - deactivatedAt).toMillis());
    }

    private static String account(String role) {
        String email = role + "-" + UUID.randomUUID() + "@example.com";
        API.post(system.chatUrl() + "/api/agents", SystemUnderTest.AGENT_TOKEN,
                Map.of("email", email, "name", "Matrix " + role, "role", role, "password", PASSWORD)).ok();
        return email;
    }

    private static String signIn(String email) {
        return API.post(system.chatUrl() + "/api/auth/login", null, Map.of("email", email, "password", PASSWORD)).ok()
                .path("access_token").asText();
    }

    private static Map<String, Object> workflowDocument(String name) {
        return Map.of("name", name, "status", "INACTIVE", "trigger", Map.of("when_type", "receive_message", "keywords", List.of("matrix")),
                "actions", List.of(Map.of("action_type", "add_tag", "tag", "matrix")));
    }

    private static String newWorkflow() {
        return API.post(system.workflowUrl() + "/api/workflows", SystemUnderTest.AGENT_TOKEN, workflowDocument("Matrix " + UUID.randomUUID()))
                .ok().path("id").asText();
    }

    static List<Endpoint> endpoints() {
        String chat = system.chatUrl();
        String flows = system.workflowUrl();
        String ai = system.aiUrl();
        Supplier<Object> none = () -> null;
        return List.of(
                new Endpoint("list conversations", "GET", () -> chat + "/api/conversations", none, Needs.AGENT),
                new Endpoint("read a conversation", "GET", () -> chat + "/api/conversations/" + conversation, none, Needs.CUSTOMER_OR_AGENT),
                new Endpoint("change a conversation", "PATCH", () -> chat + "/api/conversations/" + conversation,
                        () -> Map.of("status", "open"), Needs.AGENT),
                new Endpoint("read messages", "GET", () -> chat + "/api/conversations/" + conversation + "/messages", none,
                        Needs.CUSTOMER_OR_AGENT),
                new Endpoint("write a message", "POST", () -> chat + "/api/conversations/" + conversation + "/messages",
                        () -> Map.of("content", "matrix"), Needs.CUSTOMER_OR_AGENT),
                new Endpoint("add a tag", "POST", () -> chat + "/api/conversations/" + conversation + "/tags",
                        () -> Map.of("tag", "matrix-tag"), Needs.AGENT),
                new Endpoint("remove a tag", "DELETE", () -> chat + "/api/conversations/" + conversation + "/tags/matrix-tag", none,
                        Needs.AGENT),
                new Endpoint("create an agent", "POST", () -> chat + "/api/agents", () -> Map.of("email", "m-" + UUID.randomUUID()
                        + "@example.com", "name", "M", "role", "agent", "password", PASSWORD), Needs.ADMIN),
                new Endpoint("list agents", "GET", () -> chat + "/api/agents", none, Needs.ADMIN),
                new Endpoint("change an agent", "PATCH", () -> chat + "/api/agents/" + someAgent, () -> Map.of("name", "Matrix agent"),
                        Needs.ADMIN),
                new Endpoint("assignable agents", "GET", () -> chat + "/api/agents/assignable", none, Needs.AGENT),
                new Endpoint("who am I", "GET", () -> chat + "/api/auth/me", none, Needs.AGENT),
                new Endpoint("list workflows", "GET", () -> flows + "/api/workflows", none, Needs.AGENT),
                new Endpoint("read a workflow", "GET", () -> flows + "/api/workflows/" + workflow, none, Needs.AGENT),
                new Endpoint("workflow runs", "GET", () -> flows + "/api/workflows/" + workflow + "/executions", none, Needs.AGENT),
                new Endpoint("workflow vocabulary", "GET", () -> flows + "/api/workflows/vocabulary", none, Needs.AGENT),
                new Endpoint("A/B test report", "GET", () -> flows + "/api/workflows/" + workflow + "/experiment", none, Needs.AGENT),
                new Endpoint("create a workflow", "POST", () -> flows + "/api/workflows", () -> workflowDocument("Matrix new"), Needs.ADMIN),
                new Endpoint("change a workflow", "PUT", () -> flows + "/api/workflows/" + workflow, () -> workflowDocument("Matrix"),
                        Needs.ADMIN),
                new Endpoint("delete a workflow", "DELETE", () -> flows + "/api/workflows/" + newWorkflow(), none, Needs.ADMIN),
                new Endpoint("read the AI state", "GET", () -> ai + "/api/conversations/" + conversation + "/ai", none, Needs.AGENT),
                new Endpoint("switch the AI", "POST", () -> ai + "/api/conversations/" + conversation + "/ai",
                        () -> Map.of("action", "enable"), Needs.AGENT));
    }

    static boolean allowed(Needs needs, Who who) {
        return switch (who) {
            case ADMIN, BOOTSTRAP -> true;
            case AGENT -> needs != Needs.ADMIN;
            case CUSTOMER -> needs == Needs.CUSTOMER_OR_AGENT;
            default -> false;
        };
    }

    /** 401 for no token and for tokens that count for nothing; 403 for a good token whose role may not. */
    static int refusal(Who who) {
        return who == Who.CUSTOMER || who == Who.AGENT ? 403 : 401;
    }

    @Test
    void everyEndpointOfTheFourServicesAnswersEachCallerAsItsRoleAllows() {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Endpoint endpoint : endpoints()) {
            for (Who who : Who.values()) {
                var reply = API.call(endpoint.method(), endpoint.url().get(), who == Who.NONE ? null : tokens.get(who), endpoint.body().get());
                boolean ok = allowed(endpoint.needs(), who)
                        ? reply.status() / 100 == 2
                        : reply.status() == refusal(who) && reply.body().hasNonNull("error");
                if (!ok) {
                    wrong.add(endpoint.name() + " as " + who + ": " + reply.status() + " " + reply.body());
                }
                checked++;
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        System.out.printf("[roles] %d endpoint x caller pairs answered as their roles allow%n", checked);

        // what the refused writes would have changed is as the allowed ones left it
        JsonNode state = API.get(system.chatUrl() + "/api/conversations/" + conversation, SystemUnderTest.AGENT_TOKEN).ok();
        assertEquals("open", state.path("status").asText());
        assertTrue(state.path("tags").isEmpty(), state.toString());
        assertEquals("Matrix", API.get(system.workflowUrl() + "/api/workflows/" + workflow, SystemUnderTest.AGENT_TOKEN).ok()
                .path("name").asText());
        JsonNode messages = API.get(system.chatUrl() + "/api/conversations/" + conversation + "/messages?size=200",
                SystemUnderTest.AGENT_TOKEN).ok();
        Set<String> senders = new java.util.TreeSet<>();
        messages.path("items").forEach(m -> senders.add(m.path("sender_type").asText() + ":" + m.path("sender_name").asText("")));
        // one message each from the customer, the agent (under their name), the admin and the bootstrap token (no name)
        assertEquals(Set.of("agent:Matrix agent", "agent:Matrix admin", "agent:", "customer:"),
                senders.stream().filter(s -> s.startsWith("agent:") || s.startsWith("customer:"))
                        .collect(java.util.stream.Collectors.toSet()), senders.toString());
    }

    @Test
    void theSocketsAnswerEachCallerAsItsRoleAllows() {
        String other = UUID.randomUUID().toString();
        Map<String, Integer> expected = new LinkedHashMap<>();
        for (Who who : Who.values()) {
            String token = who == Who.NONE ? null : tokens.get(who);
            boolean agentLike = who == Who.AGENT || who == Who.ADMIN || who == Who.BOOTSTRAP;
            int refused = who == Who.NONE ? 401 : 403;
            expected.put("inbox as " + who, agentLike ? 101 : refused);
            expected.put("own conversation as " + who, agentLike || who == Who.CUSTOMER ? 101 : refused);
            expected.put("another conversation as " + who, agentLike ? 101 : refused);
            assertEquals(expected.get("inbox as " + who), handshake("/ws/inbox", token), "inbox as " + who);
            assertEquals(expected.get("own conversation as " + who), handshake("/ws/conversations/" + conversation, token),
                    "own conversation as " + who);
            assertEquals(expected.get("another conversation as " + who), handshake("/ws/conversations/" + other, token),
                    "another conversation as " + who);
        }
    }

    /** The status of a WebSocket handshake with the token as a subprotocol (101: upgraded). */
    static int handshake(String path, String token) {
        var builder = HttpClient.newHttpClient().newWebSocketBuilder();
        if (token != null) {
            builder.subprotocols("switchboard.v1", token);
        }
        try {
            builder.buildAsync(URI.create(system.notifierWs(1) + path), new WebSocket.Listener() {
            }).join().abort();
            return 101;
        } catch (CompletionException e) {
            return e.getCause() instanceof WebSocketHandshakeException refused ? refused.getResponse().statusCode() : -1;
        }
    }
}
