package ar.connector.api;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one logical call to an API: waits for the limiter, records metrics, waits out a 429 the
 * way the API asks and tries again (a 429 means the call was not executed), and retries safe
 * calls on 5xx or network failures with exponential backoff. Unsafe calls (writes with a fiscal or
 * visible side effect) are never retried after an uncertain outcome: the caller gets
 * {@link ApiCallException.Kind#UNAVAILABLE} and must find out what happened.
 */
public final class ApiTransport {

    private static final Logger log = LoggerFactory.getLogger(ApiTransport.class);
    private static final int MAX_RATE_LIMITED_TRIES = 6;

    /** What differs between the two APIs. */
    public interface Policy {
        /** How long to hold every call back after this 429 answer. */
        Duration waitAfterTooManyRequests(HttpResponse<byte[]> response);

        /** A short human message from an error body (never the request, which may hold credentials). */
        String errorMessage(byte[] body);
    }

    /**
     * @param endpoint   a stable label for metrics and messages (no ids, no query)
     * @param request    builds the request; called again for each try (a token may have changed)
     * @param limiter    the budget this call draws on
     * @param idempotent whether a failed try may simply be repeated
     */
    public record Call(String endpoint, Supplier<HttpRequest> request, RateLimiter limiter, boolean idempotent,
            Duration maxWait) {

        public Call(String endpoint, Supplier<HttpRequest> request, RateLimiter limiter, boolean idempotent) {
            this(endpoint, request, limiter, idempotent, null);
        }

        /**
         * The same call for a caller that must answer soon (a web request): it waits at most
         * {@code maxWait} for the budget, is not retried, and fails with {@link BudgetExhausted}
         * instead of waiting longer.
         */
        public Call within(Duration maxWait) {
            return new Call(endpoint, request, limiter, idempotent, maxWait);
        }
    }

    /** A bounded call found no slot in the API's budget in time; nothing was sent. */
    public static class BudgetExhausted extends ApiCallException {
        public BudgetExhausted(String api, String endpoint, Duration waited) {
            super(api, endpoint, 0, Kind.UNAVAILABLE, "no slot in the rate budget within " + waited.toMillis() + " ms",
                    null);
        }
    }

    private final String api;
    private final HttpClient http;
    private final ApiMetrics metrics;
    private final Policy policy;
    private final int attempts;
    private final Duration backoff;

    public ApiTransport(String api, HttpClient http, ApiMetrics metrics, Policy policy, int attempts, Duration backoff) {
        this.api = api;
        this.http = http;
        this.metrics = metrics;
        this.policy = policy;
        this.attempts = Math.max(1, attempts);
        this.backoff = backoff;
    }

    /** A JSON request with the given authorization, with or without a body. */
    public static HttpRequest jsonRequest(java.net.URI uri, Duration timeout, String authorization, String method,
            byte[] payload) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Authorization", authorization)
                .header("Accept", "application/json");
        if (payload == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(payload));
        }
        return request.build();
    }

    public HttpResponse<byte[]> send(Call call) {
        int failures = 0;
        int rateLimited = 0;
        while (true) {
            HttpResponse<byte[]> response;
            try {
                HttpRequest request = call.request().get();
                // A GET that must not repeat (emitirFE) gets a connection of its own: the JDK client
                // silently resends a GET or HEAD once when a reused keep-alive connection turns out to be
                // closed. It never resends other methods, so a POST shares the pooled connections (a
                // client per call costs a selector thread, a worker thread and a new connection).
                HttpClient client = call.idempotent() || !resentOnStaleConnection(request) ? http
                        : HttpClient.newBuilder().connectTimeout(http.connectTimeout().orElse(Duration.ofSeconds(10)))
                                .build();
                // Everything is ready before the budget is drawn on: the call leaves as soon as it may.
                if (call.maxWait() == null) {
                    metrics.waited(api, call.limiter().acquire());
                } else {
                    long waited = call.limiter().acquire(call.maxWait());
                    if (waited < 0) {
                        throw new BudgetExhausted(api, call.endpoint(), call.maxWait());
                    }
                    metrics.waited(api, waited);
                }
                CallMeter.count(api);
                try {
                    response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                } finally {
                    call.limiter().release();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiCallException(api, call.endpoint(), 0, ApiCallException.Kind.UNAVAILABLE, "interrupted", e);
            } catch (IOException e) {
                metrics.call(api, call.endpoint(), 0);
                String what = e instanceof HttpTimeoutException ? "timed out" : "no answer (" + e.getClass().getSimpleName() + ")";
                if (call.idempotent() && call.maxWait() == null && ++failures < attempts) {
                    pause(failures, call.endpoint(), what);
                    continue;
                }
                throw new ApiCallException(api, call.endpoint(), 0, ApiCallException.Kind.UNAVAILABLE, what, e);
            }
            int status = response.statusCode();
            metrics.call(api, call.endpoint(), status);
            if (status >= 200 && status < 300) {
                return response;
            }
            if (status == 429) {
                Duration wait = policy.waitAfterTooManyRequests(response);
                log.warn("{} answered 429 to {}: holding every call back for {} ms", api, call.endpoint(), wait.toMillis());
                call.limiter().blockFor(wait);
                metrics.waited(api, wait.toNanos());
                if (call.maxWait() != null) {
                    throw new BudgetExhausted(api, call.endpoint(), call.maxWait());
                }
                if (++rateLimited < MAX_RATE_LIMITED_TRIES) {
                    continue;
                }
                throw new ApiCallException(api, call.endpoint(), status, ApiCallException.Kind.UNAVAILABLE,
                        "still rate limited after " + rateLimited + " waits", null);
            }
            String message = policy.errorMessage(response.body());
            if (status == 401 || status == 403) {
                throw new ApiCallException(api, call.endpoint(), status, ApiCallException.Kind.UNAUTHORIZED, message, null);
            }
            if (status == 404) {
                throw new ApiCallException(api, call.endpoint(), status, ApiCallException.Kind.NOT_FOUND, message, null);
            }
            if (status >= 500) {
                if (call.idempotent() && call.maxWait() == null && ++failures < attempts) {
                    pause(failures, call.endpoint(), "status " + status);
                    continue;
                }
                throw new ApiCallException(api, call.endpoint(), status, ApiCallException.Kind.UNAVAILABLE, message, null);
            }
            throw new ApiCallException(api, call.endpoint(), status, ApiCallException.Kind.REJECTED, message, null);
        }
    }

    /**
     * Whether the JDK client would send this request again by itself when its pooled connection turns
     * out to be closed: GET and HEAD, or every method with {@code jdk.httpclient.enableAllMethodRetry}
     * (java.net.http's MultiExchange).
     */
    static boolean resentOnStaleConnection(HttpRequest request) {
        return "GET".equals(request.method()) || "HEAD".equals(request.method())
                || System.getProperty("jdk.httpclient.enableAllMethodRetry") != null;
    }

    private void pause(int failures, String endpoint, String what) {
        long millis = Math.min(backoff.toMillis() << (failures - 1), 30_000);
        log.info("{} {} {}; trying again in {} ms", api, endpoint, what, millis);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiCallException(api, endpoint, 0, ApiCallException.Kind.UNAVAILABLE, "interrupted", e);
        }
    }
}
