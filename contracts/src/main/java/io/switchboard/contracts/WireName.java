package io.switchboard.contracts;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A member of the shared vocabulary, written on the wire and in workflow documents by its snake_case name. */
public interface WireName {
    /** The constant's name in lower case. */
    default String wire() {
        return ((Enum<?>) this).name().toLowerCase(Locale.ROOT);
    }

    /** The constant whose wire name is {@code wire}, if any (unknown names come from newer producers or bad input). */
    static <E extends Enum<E> & WireName> Optional<E> parse(Class<E> type, String wire) {
        return wire == null ? Optional.empty()
                : Arrays.stream(type.getEnumConstants()).filter(e -> e.wire().equals(wire)).findFirst();
    }
}
