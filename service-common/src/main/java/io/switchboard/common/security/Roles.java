package io.switchboard.common.security;

import java.util.Set;

/** The roles of {@code @RolesAllowed}. An admin holds both agent roles; the bootstrap token is an admin. */
public final class Roles {
    public static final String ADMIN = "admin";
    public static final String AGENT = "agent";
    /** A customer's token: the caller's own conversation, nothing else. */
    public static final String CUSTOMER = "customer";

    /** The roles an account can be given. */
    public static final Set<String> ACCOUNT_ROLES = Set.of(ADMIN, AGENT);

    private Roles() {
    }

    /** What a role held by an account grants in {@code @RolesAllowed} terms. */
    public static Set<String> granted(String accountRole) {
        return ADMIN.equals(accountRole) ? Set.of(ADMIN, AGENT) : Set.of(AGENT);
    }
}
