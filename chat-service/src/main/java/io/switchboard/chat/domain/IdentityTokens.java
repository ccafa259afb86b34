package io.switchboard.chat.domain;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.HmacKey;

import io.switchboard.chat.ChatConfig;
import io.switchboard.common.domain.DomainException;

/**
 * Who a visitor is, as the site's own backend vouches for it: an HS256 JWT signed with
 * {@code SWITCHBOARD_IDENTITY_SECRET}, with the site's user id as {@code sub} and an {@code exp}. Read with jose4j;
 * only HS256 is accepted (no {@code none}, no key confusion), and a bad token is a 401 naming {@code identity_token}.
 */
@ApplicationScoped
public class IdentityTokens {
    public static final String FIELD = "identity_token";
    /** HS256 with a key shorter than its hash is weak; jose4j refuses it, and so does startup. */
    public static final int MIN_SECRET_BYTES = 32;

    private final Optional<JwtConsumer> consumer;

    IdentityTokens(ChatConfig config) {
        this.consumer = config.identitySecret().map(secret -> {
            byte[] key = secret.getBytes(StandardCharsets.UTF_8);
            if (key.length < MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("SWITCHBOARD_IDENTITY_SECRET must have at least " + MIN_SECRET_BYTES + " bytes");
            }
            return new JwtConsumerBuilder()
                    .setRequireExpirationTime()
                    .setRequireSubject()
                    .setAllowedClockSkewInSeconds(30)
                    .setVerificationKey(new HmacKey(key))
                    .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.HMAC_SHA256)
                    .build();
        });
    }

    /** What the site says about its visitor: the contact's fields, bounded like a form's. */
    public record Identity(String subject, String email, String firstName, String lastName, String phone, Map<String, Object> attributes) {
    }

    public Identity verify(String token) {
        JwtConsumer verifier = consumer.orElseThrow(() -> DomainException.unauthenticated(FIELD,
                "identity_token is not accepted here: this installation has no SWITCHBOARD_IDENTITY_SECRET"));
        JwtClaims claims;
        try {
            claims = verifier.processToClaims(token);
        } catch (InvalidJwtException e) {
            throw DomainException.unauthenticated(FIELD, "identity_token is not valid: " + reason(e));
        }
        try {
            Map<String, Object> attributes = claims.hasClaim("attributes")
                    ? new LinkedHashMap<>(claims.getClaimValue("attributes", Map.class))
                    : Map.of();
            var identity = new Identity(claims.getSubject(), text(claims, "email"), text(claims, "first_name"),
                    text(claims, "last_name"), text(claims, "phone"), attributes);
            if (identity.subject().length() > 256) {
                throw DomainException.invalid(FIELD + ".sub", FIELD + ".sub is longer than 256 characters");
            }
            ContactRules.check(FIELD, identity.firstName(), identity.lastName(), identity.email(), identity.phone(), attributes);
            return identity;
        } catch (MalformedClaimException e) {
            throw DomainException.invalid(FIELD, "identity_token has a claim of the wrong type: " + e.getMessage());
        }
    }

    private static String text(JwtClaims claims, String name) throws MalformedClaimException {
        return claims.getClaimValue(name, String.class);
    }

    /** Why, without echoing the token: expired, bad signature, missing claim, wrong algorithm. */
    private static String reason(InvalidJwtException e) {
        if (e.hasExpired()) {
            return "expired";
        }
        if (e.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
            return "it has no exp";
        }
        if (e.hasErrorCode(ErrorCodes.SUBJECT_MISSING)) {
            return "it has no sub";
        }
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID) || e.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)) {
            return "the signature does not match (it must be HS256 with the site's identity secret)";
        }
        // jose4j refuses any other alg before it checks anything else
        return "it must be a JWT signed with HS256";
    }
}
