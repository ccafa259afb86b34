package io.switchboard.chat.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.switchboard.chat.ChatConfig;
import io.switchboard.common.domain.DomainException;

/**
 * Email and password in, an access token out. Unknown email, wrong password and deactivated account all get the
 * same 401; after {@code max-failures} failures in a row for one email, or from one client address, that key is
 * refused with 429 for the lockout, whatever the password.
 */
@ApplicationScoped
public class SignIn {
    private static final Logger LOG = Logger.getLogger(SignIn.class);

    private final Agents agents;
    private final TokenIssuer issuer;
    private final int maxFailures;
    private final Duration lockout;
    private final Duration lifetime;

    SignIn(Agents agents, TokenIssuer issuer, ChatConfig config) {
        this.agents = agents;
        this.issuer = issuer;
        this.maxFailures = config.auth().maxFailedSignIns();
        this.lockout = config.auth().lockout();
        this.lifetime = config.auth().accessTokenLifetime();
    }

    public record AccessToken(String accessToken, String tokenType, long expiresIn) {
    }

    public AccessToken signIn(String email, String password, String clientAddress) {
        if (email == null || email.isBlank()) {
            throw DomainException.invalid("email", "email is required");
        }
        if (password == null || password.isEmpty()) {
            throw DomainException.invalid("password", "password is required");
        }
        List<String> keys = List.of("email:" + email.strip().toLowerCase(java.util.Locale.ROOT), "address:" + clientAddress);
        refuseLocked(keys);
        var agent = agents.check(email.strip(), password);
        if (agent.isEmpty()) {
            recordFailure(keys);
            LOG.infof("sign-in refused from %s", clientAddress);
            throw DomainException.unauthenticated(null, "wrong email or password");
        }
        QuarkusTransaction.requiringNew().run(() -> LoginFailure.delete("key in ?1", keys));
        Agent a = agent.get();
        return new AccessToken(issuer.issueAgent(a.id, a.name, a.role, lifetime), "Bearer", lifetime.toSeconds());
    }

    private void refuseLocked(List<String> keys) {
        Instant now = Instant.now();
        Instant until = QuarkusTransaction.requiringNew().call(() -> LoginFailure.<LoginFailure>list("key in ?1", keys).stream()
                .map(f -> f.lockedUntil).filter(t -> t != null && t.isAfter(now)).max(Instant::compareTo).orElse(null));
        if (until != null) {
            long minutes = Math.max(1, (Duration.between(now, until).toSeconds() + 59) / 60);
            throw DomainException.tooManyRequests("too many failed sign-ins: try again in " + minutes + " minute" + (minutes == 1 ? "" : "s"));
        }
    }

    /** In its own transaction: the 401 that follows must not roll the count back. */
    private void recordFailure(List<String> keys) {
        Instant now = Instant.now();
        QuarkusTransaction.requiringNew().run(() -> {
            for (String key : keys) {
                LoginFailure.getEntityManager().createNativeQuery("""
                        insert into login_failures (key, failures, updated_at) values (?1, 1, ?2)
                        on conflict (key) do update set
                          failures = case when login_failures.locked_until is not null and login_failures.locked_until <= ?2
                                          then 1 else login_failures.failures + 1 end,
                          locked_until = case when login_failures.locked_until is not null and login_failures.locked_until <= ?2 then null
                                              when login_failures.failures + 1 >= ?3 then ?4 else login_failures.locked_until end,
                          updated_at = ?2
                        """).setParameter(1, key).setParameter(2, now).setParameter(3, maxFailures)
                        .setParameter(4, now.plus(lockout)).executeUpdate();
            }
        });
    }
}
