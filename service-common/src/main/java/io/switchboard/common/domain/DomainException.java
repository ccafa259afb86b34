package io.switchboard.common.domain;

/**
 * A request or command that the domain refuses, with the kind of refusal and, for invalid input, the failing field.
 * Domain code throws it without knowing about HTTP or Kafka: the REST layer maps the kind to a status in one place
 * ({@code ApiErrors}), and consumers send the record to the dead-letter topic, because it cannot succeed later.
 */
public class DomainException extends RuntimeException {
    public enum Kind {
        INVALID, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, CONFLICT, TOO_MANY_REQUESTS
    }

    private final Kind kind;
    private final String field;

    public DomainException(Kind kind, String message, String field) {
        super(message);
        this.kind = kind;
        this.field = field;
    }

    public static DomainException invalid(String field, String message) {
        return new DomainException(Kind.INVALID, message, field);
    }

    public static DomainException notFound(String message) {
        return new DomainException(Kind.NOT_FOUND, message, null);
    }

    /** "{what} {id} not found": the one wording for a thing that is not there. */
    public static DomainException notFound(String what, Object id) {
        return notFound(what + " " + id + " not found");
    }

    public static DomainException conflict(String field, String message) {
        return new DomainException(Kind.CONFLICT, message, field);
    }

    public static DomainException unauthenticated(String field, String message) {
        return new DomainException(Kind.UNAUTHENTICATED, message, field);
    }

    public static DomainException forbidden(String message) {
        return new DomainException(Kind.FORBIDDEN, message, null);
    }

    public static DomainException tooManyRequests(String message) {
        return new DomainException(Kind.TOO_MANY_REQUESTS, message, null);
    }

    public Kind kind() {
        return kind;
    }

    public String field() {
        return field;
    }
}
