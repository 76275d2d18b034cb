package ar.connector.documents;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.stereotype.Component;

import ar.connector.api.ApiCallException;
import ar.connector.api.ApiTransport;
import ar.connector.config.ConnectorProperties;
import ar.connector.contabilium.ContabiliumAccount;
import ar.connector.contabilium.ContabiliumClient;
import ar.connector.links.Link;

/**
 * The PDF of an issued invoice or credit note (one whose CAE was granted: its PDF never changes),
 * for every path that needs one — the buyers' signed links, the console, the receipt e-mails,
 * exports. The shared cache ({@link PdfCache}) first, else Contabilium, once: concurrent requests
 * for the same document wait for that one call, and its answer is cached for all replicas.
 * <p>
 * Web requests use {@link #pdf(Link, long, Duration)}: they wait at most the given time (for the
 * Contabilium budget and for a fetch under way), and at most {@code connector.documents.max-waiting}
 * of them wait at once, so PDF requests can never hold every web thread; beyond either, {@link Busy}.
 * Background work (receipts, exports) uses {@link #pdf(Link, long)} and waits as long as the
 * budget needs.
 */
@Component
public class InvoicePdfs {

    private final PdfCache cache;
    private final ContabiliumClient contabilium;
    private final Semaphore waiting;
    private final Map<Key, CompletableFuture<byte[]>> inFlight = new ConcurrentHashMap<>();

    private record Key(String account, long documentId) {
    }

    public InvoicePdfs(PdfCache cache, ContabiliumClient contabilium, ConnectorProperties properties) {
        this.cache = cache;
        this.contabilium = contabilium;
        this.waiting = new Semaphore(properties.documents().maxWaiting());
    }

    /**
     * The document's PDF bytes, waiting as long as Contabilium's budget needs (background work).
     *
     * @throws ApiCallException when Contabilium cannot give it
     */
    public byte[] pdf(Link link, long documentId) {
        return obtain(link, documentId, null);
    }

    /**
     * The document's PDF bytes for a web request: at most {@code maxWait} spent waiting.
     *
     * @throws Busy            when it could not be had in time (answer 503 with {@link Busy#retryAfter()})
     * @throws ApiCallException when Contabilium cannot give it
     */
    public byte[] pdf(Link link, long documentId, Duration maxWait) {
        Optional<byte[]> cached = cache.get(link.getContabiliumClientId(), documentId);
        if (cached.isPresent()) {
            return cached.get();
        }
        if (!waiting.tryAcquire()) {
            throw new Busy(retryAfter());
        }
        try {
            return obtain(link, documentId, maxWait);
        } finally {
            waiting.release();
        }
    }

    private byte[] obtain(Link link, long documentId, Duration maxWait) {
        Key key = new Key(link.getContabiliumClientId(), documentId);
        Optional<byte[]> cached = cache.get(key.account(), documentId);
        if (cached.isPresent()) {
            return cached.get();
        }
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        CompletableFuture<byte[]> under = inFlight.putIfAbsent(key, mine);
        if (under != null) {
            return await(under, maxWait);
        }
        try {
            ContabiliumAccount account = new ContabiliumAccount(key.account(), link.getContabiliumClientSecret());
            byte[] pdf = contabilium.obtenerPdf(account, documentId, maxWait);
            cache.put(key.account(), documentId, pdf);
            mine.complete(pdf);
            return pdf;
        } catch (ApiTransport.BudgetExhausted e) {
            mine.completeExceptionally(e);
            throw new Busy(retryAfter());
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private byte[] await(CompletableFuture<byte[]> fetch, Duration maxWait) {
        try {
            return maxWait == null ? fetch.get() : fetch.get(maxWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new Busy(retryAfter());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Busy(retryAfter());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ApiTransport.BudgetExhausted) {
                throw new Busy(retryAfter());
            }
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    /** A slot in Contabilium's budget frees within one of its periods. */
    private Duration retryAfter() {
        return contabilium.budgetPeriod();
    }

    /** The PDF could not be had within the wait allowed; try again after {@link #retryAfter()}. */
    public static class Busy extends RuntimeException {

        private final Duration retryAfter;

        public Busy(Duration retryAfter) {
            super("The document's PDF cannot be read from Contabilium right now");
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }
}
