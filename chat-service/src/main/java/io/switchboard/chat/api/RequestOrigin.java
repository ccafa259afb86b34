package io.switchboard.chat.api;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.switchboard.chat.ChatConfig;
import io.switchboard.common.api.ClientAddress;
import io.vertx.core.http.HttpServerRequest;

/** The client address of a request, as the limits and the sign-in throttle count it. */
@ApplicationScoped
public class RequestOrigin {
    private final ClientAddress addresses;

    RequestOrigin(ChatConfig config) {
        this.addresses = new ClientAddress(config.trustedProxies().orElse(List.of()));
    }

    public String address(HttpServerRequest request) {
        return addresses.of(request.remoteAddress().hostAddress(), request.getHeader("X-Forwarded-For"));
    }
}
