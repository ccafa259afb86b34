package io.switchboard.ai.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.switchboard.ai.AiConfig;
import io.switchboard.ai.domain.ConversationMemory;
import io.switchboard.testing.OpenAiStub;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PfxOptions;

/** The chat-completions call against a local server that speaks the API: what is sent, what is read, how it fails. */
class OpenAiProviderTest {
    private static final String KEY = "sk-test-never-shown";
    /** Long enough for a first call on a slow machine (class loading, the first TLS handshake); the slow test has its own. */
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private static OpenAiStub stub;
    private static Vertx vertx;
    private static OpenAiProvider provider;

    @BeforeAll
    static void start() {
        stub = OpenAiStub.start();
        vertx = Vertx.vertx();
        provider = new OpenAiProvider(vertx, config(stub.baseUrl() + "/", Optional.of(KEY)), TIMEOUT, 4);
    }

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
        stub.close();
    }

    @BeforeEach
    void reset() {
        stub.reset();
    }

    private static AiConfig.OpenAi config(String baseUrl, Optional<String> key) {
        return new AiConfig.OpenAi() {
            @Override
            public String baseUrl() {
                return baseUrl;
            }

            @Override
            public Optional<String> apiKey() {
                return key;
            }

            @Override
            public String model() {
                return "gpt-test";
            }
        };
    }

    private static Prompt prompt(String question) {
        return new Prompt("Be brief.", Map.of("plan", "premium"), List.of(),
                List.of(new ConversationMemory.Turn("m-1", "customer", "hello"), new ConversationMemory.Turn("m-2", "ai", "Hi! How can I help?")),
                question);
    }

    @Test
    void sendsTheModelTheConversationAndTheKeyAndReadsTheAnswer() throws Exception {
        assertEquals("Stub answer to: where is my parcel?", provider.answer(prompt("where is my parcel?")));

        JsonNode request = stub.requests().get(stub.requests().size() - 1);
        assertEquals("gpt-test", request.path("model").asText());
        List<String> roles = request.path("messages").findValuesAsText("role");
        assertEquals(List.of("system", "user", "assistant", "user"), roles);
        assertTrue(request.path("messages").path(0).path("content").asText().contains("\"plan\""), request.toString());
        assertEquals("Hi! How can I help?", request.path("messages").path(2).path("content").asText());
        assertEquals("Bearer " + KEY, stub.authorizations().get(stub.authorizations().size() - 1));
        // answers side by side, more than the pool's connections: each gets its own question's answer
        try (var callers = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            var answers = java.util.stream.IntStream.range(0, 40)
                    .mapToObj(i -> callers.submit(() -> provider.answer(prompt("question " + i)))).toList();
            for (int i = 0; i < answers.size(); i++) {
                assertEquals("Stub answer to: question " + i, answers.get(i).get());
            }
        }
    }

    @Test
    void aServerWithoutKeyGetsNoAuthorizationHeader() {
        var open = new OpenAiProvider(vertx, config(stub.baseUrl(), Optional.empty()), TIMEOUT, 1);
        assertEquals("Stub answer to: hi", open.answer(prompt("hi")));
        assertEquals("", stub.authorizations().get(stub.authorizations().size() - 1));
    }

    @Test
    void anErrorStatusFailsWithTheServersMessageAndNeverTheKey() {
        stub.status(500);
        var failure = assertThrows(OpenAiProvider.ModelException.class, () -> provider.answer(prompt("hi")));
        assertEquals("the model answered 500: stub failure", failure.getMessage());
        assertFalse(failure.getMessage().contains(KEY));
    }

    @Test
    void aBodyThatIsNotAChatCompletionFails() {
        stub.garbage(true);
        var failure = assertThrows(OpenAiProvider.ModelException.class, () -> provider.answer(prompt("hi")));
        assertEquals("the model answered 200 with a body that is not JSON", failure.getMessage());
    }

    @Test
    void aSlowModelFailsAfterTheTimeoutAndTheNextCallIsAnswered() {
        var impatient = new OpenAiProvider(vertx, config(stub.baseUrl(), Optional.of(KEY)), Duration.ofSeconds(3), 1);
        stub.delay(10_000);
        long started = System.nanoTime();
        var failure = assertThrows(OpenAiProvider.ModelException.class, () -> impatient.answer(prompt("slow")));
        assertEquals("the model did not answer within PT3S", failure.getMessage());
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMillis >= 2_950 && tookMillis < 9_000, "gave up after " + tookMillis + " ms");
        stub.delay(0);
        assertEquals("Stub answer to: fast", impatient.answer(prompt("fast")));
    }

    @Test
    void anHttpsServerWhoseCertificateIsNotTrustedIsRefusedBeforeAnythingIsSent() throws Exception {
        // a certificate of its own for localhost, made by the JDK's keytool for this run: no CA the JVM trusts signed it
        Path keystore = Files.createTempFile("model-server", ".p12");
        Files.delete(keystore);
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "model", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "san=dns:localhost",
                "-validity", "1", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "throwaway")
                .redirectErrorStream(true).start();
        assertEquals(0, keytool.waitFor(), new String(keytool.getInputStream().readAllBytes()));
        var requests = new java.util.concurrent.atomic.AtomicInteger();
        var server = vertx.createHttpServer(new HttpServerOptions().setSsl(true)
                .setKeyCertOptions(new PfxOptions().setPath(keystore.toString()).setPassword("throwaway")))
                .requestHandler(request -> {
                    requests.incrementAndGet();
                    request.response().end("{}");
                })
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
        try {
            var untrusted = new OpenAiProvider(vertx, config("https://localhost:" + server.actualPort() + "/v1", Optional.of(KEY)),
                    TIMEOUT, 1);
            var failure = assertThrows(OpenAiProvider.ModelException.class, () -> untrusted.answer(prompt("hi")));
            assertTrue(failure.getMessage().startsWith("the model could not be reached"), failure.getMessage());
            assertTrue(failure.getMessage().contains("SSL"), failure.getMessage());
            assertEquals(0, requests.get(), "the key never left");
        } finally {
            server.close().toCompletionStage().toCompletableFuture().join();
            Files.deleteIfExists(keystore);
        }
    }

    @Test
    void aBaseUrlThatIsNotOneIsRefusedAtStartNamingTheSetting() {
        assertEquals("http://127.0.0.1:8090/v1/chat/completions", OpenAiProvider.endpoint("http://127.0.0.1:8090/v1/"));
        for (String wrong : List.of("api.openai.com/v1", "ftp://example.com/v1", "http://", "https://exa mple.com")) {
            var failure = assertThrows(IllegalArgumentException.class, () -> OpenAiProvider.endpoint(wrong));
            assertTrue(failure.getMessage().startsWith("SWITCHBOARD_AI_OPENAI_BASE_URL must be an http or https URL"), failure.getMessage());
        }
    }

    @Test
    void anUnreachableServerFails() {
        var nowhere = new OpenAiProvider(vertx, config("http://127.0.0.1:1/v1", Optional.of(KEY)), TIMEOUT, 1);
        var failure = assertThrows(OpenAiProvider.ModelException.class, () -> nowhere.answer(prompt("hi")));
        assertTrue(failure.getMessage().startsWith("the model could not be reached"), failure.getMessage());
        assertFalse(failure.getMessage().contains(KEY));
    }
}
