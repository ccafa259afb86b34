package io.switchboard.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.switchboard.contracts.Json;

/**
 * Limits on anonymous traffic hold across replicas: two chat-service replicas, each allowing 5 new conversations per
 * client address and minute, share one count in Redis, so a client that spreads its requests over both still gets 5.
 */
class LimitsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static SystemUnderTest.Service first;
    private static SystemUnderTest.Service second;

    @BeforeAll
    static void start() throws Exception {
        SystemUnderTest system = SystemUnderTest.shared();
        Map<String, String> fivePerMinute = Map.of("SWITCHBOARD_RATE_CONVERSATIONS_PER_MINUTE", "5");
        first = system.startChatReplica("chat-service-2", fivePerMinute);
        second = system.startChatReplica("chat-service-3", fivePerMinute);
    }

    /** The extra replicas go when done: the shared system's other tests need the CPU. */
    @org.junit.jupiter.api.AfterAll
    static void stop() throws Exception {
        SystemUnderTest system = SystemUnderTest.shared();
        system.stop("chat-service-2");
        system.stop("chat-service-3");
    }

    static HttpResponse<String> startConversation(SystemUnderTest.Service replica, String clientAddress) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(replica.url() + "/api/conversations"))
                .header("Content-Type", "application/json").header("X-Forwarded-For", clientAddress)
                .POST(HttpRequest.BodyPublishers.ofString("{\"channel\": \"web\", \"contact\": {\"first_name\": \"Flood\"}}")).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void newConversationsPerAddressAreCountedOnceForAllReplicas() throws Exception {
        // an address of the documentation range, new for each run: the count of an earlier run does not carry over
        String address = "2001:db8::" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1, 0xffff));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            statuses.add(startConversation(i % 2 == 0 ? first : second, address).statusCode());
        }
        assertEquals(List.of(201, 201, 201, 201, 201), statuses);
        for (SystemUnderTest.Service replica : List.of(first, second)) {
            HttpResponse<String> refused = startConversation(replica, address);
            assertEquals(429, refused.statusCode(), replica.name());
            JsonNode body = Json.MAPPER.readTree(refused.body());
            assertTrue(body.path("error").asText().contains("try again in"), body.toString());
        }
        // another client is not held back by this one
        assertEquals(201, startConversation(second, "2001:db8::" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1, 0xffff)))
                .statusCode());
    }
}
