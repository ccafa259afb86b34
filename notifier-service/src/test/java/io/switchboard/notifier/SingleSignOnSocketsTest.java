package io.switchboard.notifier;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.KafkaTestResource;
import io.switchboard.testing.OidcStub;
import io.switchboard.testing.OidcStubResource;
import io.switchboard.notifier.api.SocketAccess;

/** The identity provider's agents open the inbox socket as our own agents do; its other users and forgeries do not. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(OidcStubResource.class)
class SingleSignOnSocketsTest {
    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    int handshake(String token) {
        try {
            HttpClient.newHttpClient().newWebSocketBuilder().subprotocols(SocketAccess.SUBPROTOCOL, token)
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/inbox"), new WebSocket.Listener() {
                    }).join().abort();
            return 101;
        } catch (CompletionException e) {
            return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
        }
    }

    @Test
    void theIssuersAgentsOpenTheInbox() {
        OidcStub issuer = OidcStubResource.stub();
        assertEquals(101, handshake(issuer.token("u-2", "Ari Agent", List.of("agent"), Duration.ofMinutes(5))));
        assertEquals(403, handshake(issuer.token("u-3", "Sol Stranger", List.of("billing"), Duration.ofMinutes(5))));
        assertEquals(403, handshake(issuer.forged("u-2", "Ari Agent", List.of("agent"))));
    }
}
