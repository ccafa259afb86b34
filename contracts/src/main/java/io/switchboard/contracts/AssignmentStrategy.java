package io.switchboard.contracts;

import java.util.Optional;

/** How {@link CommandType#ASSIGN_CONVERSATION} picks an agent when it names none. */
public enum AssignmentStrategy implements WireName {
    /** The active agent assigned longest ago. */
    ROUND_ROBIN;

    public static Optional<AssignmentStrategy> parse(String wire) {
        return WireName.parse(AssignmentStrategy.class, wire);
    }
}
