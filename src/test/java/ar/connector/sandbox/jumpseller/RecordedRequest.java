package ar.connector.sandbox.jumpseller;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One HTTP exchange served by the sandbox, kept so tests can count calls and the contract test can
 * validate both sides against openapi.json.
 *
 * @param storeCode       store the credentials resolved to, or {@code null} when authentication failed
 * @param path            full request path as received, including the {@code /v1} base path
 * @param query           raw (still URL-encoded) query string, or {@code null}
 * @param requestHeaders  request headers (lower-case names)
 * @param responseHeaders response headers (lower-case names)
 */
public record RecordedRequest(
        Instant at,
        String storeCode,
        String method,
        String path,
        String query,
        Map<String, List<String>> requestHeaders,
        String requestBody,
        int status,
        Map<String, List<String>> responseHeaders,
        String responseBody) {

    /** Path without the {@code /v1} base path, e.g. {@code /products/3.json}. */
    public String apiPath() {
        return path.startsWith("/v1") ? path.substring(3) : path;
    }

    /** True if the method matches and the path (without {@code /v1}) matches the regular expression. */
    public boolean is(String method, String apiPathRegex) {
        return this.method.equalsIgnoreCase(method) && apiPath().matches(apiPathRegex);
    }

    @Override
    public String toString() {
        return method + " " + path + (query == null ? "" : "?" + query) + " -> " + status;
    }
}
