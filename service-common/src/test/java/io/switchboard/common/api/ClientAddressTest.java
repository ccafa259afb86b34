package io.switchboard.common.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class ClientAddressTest {

    @Test
    void forwardedForCountsOnlyFromATrustedProxy() {
        var addresses = new ClientAddress(List.of("10.0.0.0/8", "127.0.0.1"));
        // a client that writes the header itself changes nothing
        assertEquals("203.0.113.9", addresses.of("203.0.113.9", "198.51.100.1"));
        // behind the ingress: the right-most address the proxies did not add
        assertEquals("198.51.100.7", addresses.of("10.1.2.3", "192.0.2.1, 198.51.100.7, 10.0.0.5"));
        assertEquals("198.51.100.7", addresses.of("127.0.0.1", "198.51.100.7"));
        assertEquals("10.1.2.3", addresses.of("10.1.2.3", null));
        assertEquals("10.1.2.3", addresses.of("10.1.2.3", "10.0.0.5"));
    }

    @Test
    void nobodyIsTrustedByDefault() {
        var addresses = new ClientAddress(List.of());
        assertEquals("127.0.0.1", addresses.of("127.0.0.1", "198.51.100.7"));
    }
}
