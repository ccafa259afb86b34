package io.switchboard.ai.domain;

import io.switchboard.contracts.WireName;

/** Who changed a conversation's AI: an agent by hand, or a workflow's action. */
public enum ControlSource implements WireName {
    AGENT, WORKFLOW
}
