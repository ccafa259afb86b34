package io.switchboard.workflow.domain;

import java.util.Optional;

import io.switchboard.contracts.WireName;

/** How a condition compares a field of the event with its value. */
public enum ConditionOperator implements WireName {
    EQUALS, NOT_EQUALS, CONTAINS, STARTS_WITH,
    /** The value is a list that holds the field's value. */
    IN,
    /** The field is present and not empty; takes no value. */
    EXISTS,
    GREATER_THAN, LESS_THAN;

    public boolean takesValue() {
        return this != EXISTS;
    }

    public boolean takesNumber() {
        return this == GREATER_THAN || this == LESS_THAN;
    }

    public static Optional<ConditionOperator> parse(String wire) {
        return WireName.parse(ConditionOperator.class, wire);
    }
}
