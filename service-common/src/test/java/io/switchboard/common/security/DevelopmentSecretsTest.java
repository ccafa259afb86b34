package io.switchboard.common.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class DevelopmentSecretsTest {
    @Test
    void theRepositorysKeysAndTokenAreNamedByTheirVariable() {
        assertEquals(List.of("SWITCHBOARD_AGENT_TOKEN", "SWITCHBOARD_TOKEN_PUBLIC_KEY", "SWITCHBOARD_TOKEN_PRIVATE_KEY"),
                DevelopmentSecrets.knownIn(Optional.of("dev-agent-token"), Optional.of(DevelopmentSecrets.PUBLIC_KEY),
                        Optional.of(DevelopmentSecrets.PRIVATE_KEY)));
        assertEquals(List.of("SWITCHBOARD_TOKEN_PUBLIC_KEY"),
                DevelopmentSecrets.knownIn(Optional.of("a-token-of-our-own"), Optional.of(DevelopmentSecrets.PUBLIC_KEY), Optional.empty()));
    }

    @Test
    void keysOfYourOwnAreNotRefused() {
        assertEquals(List.of(), DevelopmentSecrets.knownIn(Optional.of("3f1c0a9e"), Optional.of("MCowBQYDK2VwAyEAother"), Optional.empty()));
    }
}
