package ar.connector.api;

/**
 * A call to Jumpseller or Contabilium that did not succeed. {@link Kind} tells the caller what it
 * may do next; the message never carries credentials.
 */
public class ApiCallException extends RuntimeException {

    public enum Kind {
        /** Credentials refused (401, or Contabilium's invalid_client). */
        UNAUTHORIZED,
        /** The resource does not exist (404). */
        NOT_FOUND,
        /** The request was understood and refused (4xx, or a Contabilium business error). */
        REJECTED,
        /**
         * No answer, a timeout or a 5xx: the service may or may not have acted. Safe to retry for
         * reads; for writes, find out what happened first.
         */
        UNAVAILABLE
    }

    private final String api;
    private final String endpoint;
    private final int status;
    private final Kind kind;

    public ApiCallException(String api, String endpoint, int status, Kind kind, String message, Throwable cause) {
        super(api + " " + endpoint + (status > 0 ? " answered " + status : " failed") + ": " + message, cause);
        this.api = api;
        this.endpoint = endpoint;
        this.status = status;
        this.kind = kind;
    }

    public String api() {
        return api;
    }

    public String endpoint() {
        return endpoint;
    }

    /** The HTTP status, or 0 when no answer arrived. */
    public int status() {
        return status;
    }

    public Kind kind() {
        return kind;
    }

    public boolean is(Kind expected) {
        return kind == expected;
    }
}
