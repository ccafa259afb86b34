package io.switchboard.workflow.domain;

import java.util.Optional;

import io.switchboard.contracts.WireName;

/**
 * Whom an idle conversation waits on: {@code agent} (the customer wrote last and no agent has answered since; AI and
 * workflow messages do not count) or {@code customer} (our side wrote last, the customer has not answered).
 */
public enum WaitingOn implements WireName {
    AGENT, CUSTOMER;

    public static Optional<WaitingOn> parse(String wire) {
        return WireName.parse(WaitingOn.class, wire);
    }
}
