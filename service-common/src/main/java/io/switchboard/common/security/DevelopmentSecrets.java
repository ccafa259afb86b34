package io.switchboard.common.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

/**
 * The signing key pair and bootstrap token of the {@code %dev} and {@code %test} profiles. They are in the
 * repository, so anyone could mint customer tokens or call the admin API with them: outside dev and test a service
 * refuses to start when it is given one of them.
 */
@ApplicationScoped
public class DevelopmentSecrets {
    public static final String PRIVATE_KEY = "MC4CAQAwBQYDK2VwBCIEIMAJTsML8d3HAUsGXnyXVjOJxeBzL6f9xzJKp/urF/hz";
    public static final String PUBLIC_KEY = "MCowBQYDK2VwAyEAYeoLV2+E1Uk6I1jliLDaw7l6nQTuHIedM/eeIzHe9XE=";
    public static final String AGENT_TOKEN = "dev-agent-token";

    void refuseInProduction(@Observes StartupEvent startup) {
        if (LaunchMode.current() != LaunchMode.NORMAL) {
            return;
        }
        List<String> known = knownIn(value("switchboard.agent-token"), value("switchboard.token.public-key"),
                value("switchboard.token.private-key"));
        if (!known.isEmpty()) {
            throw new IllegalStateException("refusing to start with the development " + String.join(" and ", known)
                    + " from the repository; make your own with ./switchboard env (README, \"Deploy\")");
        }
    }

    /** Which of the given settings are the repository's development values, by the variable that sets them. */
    static List<String> knownIn(Optional<String> agentToken, Optional<String> publicKey, Optional<String> privateKey) {
        List<String> known = new ArrayList<>();
        agentToken.filter(AGENT_TOKEN::equals).ifPresent(v -> known.add("SWITCHBOARD_AGENT_TOKEN"));
        publicKey.filter(PUBLIC_KEY::equals).ifPresent(v -> known.add("SWITCHBOARD_TOKEN_PUBLIC_KEY"));
        privateKey.filter(PRIVATE_KEY::equals).ifPresent(v -> known.add("SWITCHBOARD_TOKEN_PRIVATE_KEY"));
        return known;
    }

    private static Optional<String> value(String name) {
        return ConfigProvider.getConfig().getOptionalValue(name, String.class).map(String::strip);
    }
}
