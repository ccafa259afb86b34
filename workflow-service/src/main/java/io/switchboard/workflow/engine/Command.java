package io.switchboard.workflow.engine;

import io.switchboard.contracts.CommandType;
import io.switchboard.contracts.Envelope;

/** A command a workflow issues; its type says which topic (and service) it goes to. */
public record Command(CommandType type, Envelope envelope) {
}
