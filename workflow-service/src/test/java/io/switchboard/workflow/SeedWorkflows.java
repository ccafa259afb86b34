package io.switchboard.workflow;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The seed's three examples, as workflow documents in the seed's own JSON vocabulary (the files in /seed). */
public final class SeedWorkflows {
    public static final String PREMIUM_SUPPORT = read("premium-support");
    public static final String SPANISH_SUPPORT = read("spanish-support");
    public static final String HUMAN_HANDOFF = read("human-handoff");

    private SeedWorkflows() {
    }

    private static String read(String name) {
        try (InputStream in = SeedWorkflows.class.getResourceAsStream("/seed/" + name + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
