package io.switchboard.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Starts an {@link OidcStub} and makes it the service's single sign-on issuer ({@code SWITCHBOARD_OIDC_*}). */
public class OidcStubResource implements QuarkusTestResourceLifecycleManager {
    private static OidcStub stub;

    public static synchronized OidcStub stub() {
        if (stub == null) {
            stub = OidcStub.start();
        }
        return stub;
    }

    @Override
    public Map<String, String> start() {
        return Map.of("switchboard.oidc.issuer", stub().issuer(), "switchboard.oidc.client-id", OidcStub.CLIENT_ID);
    }

    @Override
    public void stop() {
        // shared by the test classes of this JVM
    }
}
