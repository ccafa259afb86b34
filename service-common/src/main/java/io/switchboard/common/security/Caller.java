package io.switchboard.common.security;

import java.util.Set;
import java.util.UUID;

/**
 * Who is calling, resolved from a bearer token: the bootstrap admin token, an agent (with the id and name their
 * messages are signed with), or a customer, who may touch one conversation only.
 */
public record Caller(Kind kind, String id, String name, Set<String> roles) {
    public enum Kind {
        BOOTSTRAP, AGENT, CUSTOMER
    }

    static Caller bootstrap() {
        return new Caller(Kind.BOOTSTRAP, null, null, Set.of(Roles.ADMIN, Roles.AGENT));
    }

    static Caller agent(String agentId, String name, Set<String> roles) {
        return new Caller(Kind.AGENT, agentId, name, roles);
    }

    static Caller customer(String conversationId) {
        return new Caller(Kind.CUSTOMER, conversationId, null, Set.of(Roles.CUSTOMER));
    }

    public boolean isAgent() {
        return roles.contains(Roles.AGENT);
    }

    public boolean isAdmin() {
        return roles.contains(Roles.ADMIN);
    }

    /** The agent's account id, or null for the bootstrap token and customers. */
    public UUID agentId() {
        return kind == Kind.AGENT && id != null ? parse(id) : null;
    }

    /** True when this caller may read and write this conversation: any agent, or its own customer. */
    public boolean mayAccess(UUID conversationId) {
        return isAgent() || (kind == Kind.CUSTOMER && conversationId.toString().equals(id));
    }

    /** The name for identity-based limits (sockets): one key per agent, per conversation, or the bootstrap token. */
    public String limitKey() {
        return switch (kind) {
            case BOOTSTRAP -> "bootstrap";
            case AGENT -> "agent:" + id;
            case CUSTOMER -> "customer:" + id;
        };
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
