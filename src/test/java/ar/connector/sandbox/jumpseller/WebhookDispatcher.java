package ar.connector.sandbox.jumpseller;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends webhooks from background threads like Jumpseller does: 15 s timeout, a non-2xx answer or
 * an error is a failure, retried after a backoff, and the hook is paused after N consecutive
 * failed attempts (it then gets nothing until it is registered again).
 */
final class WebhookDispatcher implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final ObjectMapper mapper;
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(4, r -> {
        Thread t = new Thread(r, "jumpseller-sandbox-webhooks");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    WebhookDispatcher(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Queues one delivery per active hook of the store registered for this event. */
    void fire(SandboxStore store, String event, JsonNode payload) {
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        for (SandboxStore.HookState hook : store.activeHooks(event)) {
            executor.execute(() -> attempt(store, hook, event, body, 1));
        }
    }

    private void attempt(SandboxStore store, SandboxStore.HookState hook, String event, byte[] body, int attempt) {
        synchronized (hook) {
            if (hook.paused) {
                return;
            }
        }
        String signature = store.sign(body);
        Result r = send(hook.url, event, store.code(), body, signature);
        store.deliveries.add(new Delivery(Instant.now(), hook.id, hook.url, event, store.code(), body, signature,
                attempt, r.status, r.error));
        boolean retry;
        synchronized (hook) {
            if (r.status >= 200 && r.status < 300) {
                hook.consecutiveFailures = 0;
                return;
            }
            hook.consecutiveFailures++;
            if (hook.consecutiveFailures >= store.pauseAfterFailures) {
                hook.paused = true;
            }
            retry = !hook.paused && attempt < store.webhookAttempts;
        }
        if (retry && !executor.isShutdown()) {
            executor.schedule(() -> attempt(store, hook, event, body, attempt + 1),
                    store.webhookBackoff.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    record Result(int status, String error) {
    }

    /** One synchronous POST with Jumpseller's headers; a null signature leaves the header out. */
    Result send(String url, String event, String storeCode, byte[] body, String signature) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                    .timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("Jumpseller-Event", event)
                    .header("Jumpseller-Store-Code", storeCode)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (signature != null) {
                b.header("Jumpseller-Hmac-Sha256", signature);
            }
            HttpResponse<Void> response = http.send(b.build(), HttpResponse.BodyHandlers.discarding());
            return new Result(response.statusCode(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        } catch (Exception e) {
            return new Result(-1, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
