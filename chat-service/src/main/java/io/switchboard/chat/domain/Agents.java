package io.switchboard.chat.domain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.switchboard.common.domain.DomainException;
import io.switchboard.common.domain.Inputs;
import io.switchboard.common.security.Roles;
import io.switchboard.contracts.AgentStatus;
import io.switchboard.contracts.Cause;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.EventType;
import io.switchboard.contracts.Json;

/**
 * Agent accounts: created and changed by admins, signed in with email and password. A deactivation, a role change
 * and a new password each revoke the tokens the agent holds (every service learns it from {@code agent_updated}).
 */
@ApplicationScoped
public class Agents {
    private static final Logger LOG = Logger.getLogger(Agents.class);
    public static final int MIN_PASSWORD_LENGTH = 12;
    /** bcrypt reads 72 bytes: a longer password would be checked only in part. */
    public static final int MAX_PASSWORD_BYTES = 72;
    private static final int MAX_NAME_LENGTH = 100;

    private final Outbox outbox;

    Agents(Outbox outbox) {
        this.outbox = outbox;
    }

    public record NewAgent(String email, String name, String role, String password) {
    }

    /** A change: null fields stay as they are. */
    public record AgentChange(String name, String role, Boolean active, String password) {
    }

    @Transactional
    public Agent create(NewAgent input) {
        String email = validEmail(input.email());
        String name = validName(input.name());
        String role = validRole(input.role());
        String password = validPassword(input.password());
        if (Agent.findByEmail(email).isPresent()) {
            throw DomainException.conflict("email", "an agent with this email exists already");
        }
        var agent = new Agent();
        agent.id = UUID.randomUUID();
        agent.email = email;
        agent.name = name;
        agent.role = role;
        agent.passwordHash = BcryptUtil.bcryptHash(password);
        agent.active = true;
        agent.createdAt = agent.updatedAt = agent.tokensNotBefore = Instant.now();
        agent.persist();
        publish(agent);
        LOG.infof("agent %s created with role %s", agent.id, role);
        return agent;
    }

    @Transactional
    public Agent update(UUID id, AgentChange change) {
        Agent agent = Optional.ofNullable(Agent.<Agent>findById(id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE))
                .orElseThrow(() -> DomainException.notFound("agent", id));
        boolean revoke = false;
        if (change.name() != null) {
            agent.name = validName(change.name());
        }
        if (change.role() != null && !change.role().equals(agent.role)) {
            agent.role = validRole(change.role());
            revoke = true;
        }
        if (change.password() != null) {
            agent.passwordHash = BcryptUtil.bcryptHash(validPassword(change.password()));
            revoke = true;
        }
        if (change.active() != null && change.active() != agent.active) {
            agent.active = change.active();
            revoke |= !agent.active;
        }
        agent.updatedAt = Instant.now();
        if (revoke) {
            // tokens carry the role and were given for the old password: the agent signs in again. Tokens count
            // whole seconds, so the cut is the next whole second: no token of this second survives it.
            agent.tokensNotBefore = agent.updatedAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(1);
        }
        publish(agent);
        LOG.infof("agent %s changed (active=%s, role=%s, tokens revoked=%s)", agent.id, agent.active, agent.role, revoke);
        return agent;
    }

    public List<Agent> list() {
        return Agent.listByName();
    }

    /** The account these credentials belong to, if it is active and the password is right. */
    public Optional<Agent> check(String email, String password) {
        Optional<Agent> agent = Agent.findByEmail(email);
        // an unknown email costs the same bcrypt round as a known one, so timing does not tell which emails exist
        boolean matches = BcryptUtil.matches(password, agent.map(a -> a.passwordHash).orElse(UNKNOWN_EMAIL_HASH));
        return agent.filter(a -> matches && a.active);
    }

    private static final String UNKNOWN_EMAIL_HASH = BcryptUtil.bcryptHash(UUID.randomUUID().toString());

    /** Tells every replica of every service (this one too) through the outbox, once the change is committed. */
    private void publish(Agent agent) {
        var status = new AgentStatus(agent.id.toString(), agent.active, agent.tokensNotBefore);
        outbox.addAgentEvent(Envelope.of(EventType.AGENT_UPDATED, "chat-service", agent.id.toString(), Cause.NONE,
                Json.MAPPER.valueToTree(status)));
    }

    static String validEmail(String email) {
        if (email == null || email.isBlank()) {
            throw DomainException.invalid("email", "email is required");
        }
        String trimmed = email.strip();
        if (!Inputs.isEmail(trimmed)) {
            throw DomainException.invalid("email", "email is not an email address");
        }
        return trimmed;
    }

    private static String validName(String name) {
        if (name == null || name.isBlank() || name.strip().length() > MAX_NAME_LENGTH) {
            throw DomainException.invalid("name", "name must have 1 to " + MAX_NAME_LENGTH + " characters");
        }
        return name.strip();
    }

    private static String validRole(String role) {
        if (role == null || !Roles.ACCOUNT_ROLES.contains(role)) {
            throw DomainException.invalid("role", "role must be \"agent\" or \"admin\"");
        }
        return role;
    }

    private static String validPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            throw DomainException.invalid("password", "password must have at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw DomainException.invalid("password", "password must be at most " + MAX_PASSWORD_BYTES + " bytes (bcrypt reads no more)");
        }
        return password;
    }
}
