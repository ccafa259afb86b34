package io.switchboard.common.api;

/** A client error with its HTTP status and, for validation, the failing field. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String field;

    public ApiException(int status, String message, String field) {
        super(message);
        this.status = status;
        this.field = field;
    }

    public static ApiException badRequest(String field, String message) {
        return new ApiException(400, message, field);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message, null);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, message, null);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, message, null);
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }
}
