package ar.connector.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The webhook load generator, run as a JVM of its own so its work is not the connector's. Every
 * request carries the same pre-signed body, so the generator computes nothing per request. Two modes:
 * <ul>
 * <li>closed loop (no rate given): each of {@code connections} threads sends one request at a time, as
 * fast as the answers come: the most the connector sustains, with the latency of a saturated server;</li>
 * <li>open loop ({@code ratePerSecond} given): request <i>i</i> is due at start + i / rate whatever the
 * answers, sent by the first of {@code connections} threads free; its latency counts from when it was
 * due, so a slow answer that delays the next requests is charged to them too (no coordinated omission).</li>
 * </ul>
 * Each runs a warm-up, then the measured period; the summary line {@code RESULT ...} goes to standard output.
 *
 * <p>Arguments: url storeCode bodyFile signature connections warmupSeconds measureSeconds [ratePerSecond]
 */
public final class WebhookLoad {

    private WebhookLoad() {
    }

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        String storeCode = args[1];
        byte[] body = Files.readAllBytes(Path.of(args[2]));
        String signature = args[3];
        int connections = Integer.parseInt(args[4]);
        long warmupNanos = Duration.ofSeconds(Long.parseLong(args[5])).toNanos();
        long measureNanos = Duration.ofSeconds(Long.parseLong(args[6])).toNanos();
        double rate = args.length > 7 ? Double.parseDouble(args[7]) : 0;
        AtomicLong sequence = new AtomicLong();

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Jumpseller-Event", "order_paid")
                .header("Jumpseller-Store-Code", storeCode)
                .header("Jumpseller-Hmac-Sha256", signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();

        AtomicLong ok = new AtomicLong();
        AtomicLong notOk = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong measuredOk = new AtomicLong();
        long[][] latencies = new long[connections][];
        int[] counts = new int[connections];
        long start = System.nanoTime();
        long measureFrom = start + warmupNanos;
        long end = measureFrom + measureNanos;
        Thread[] threads = new Thread[connections];
        for (int t = 0; t < connections; t++) {
            int index = t;
            latencies[t] = new long[1 << 16];
            threads[t] = new Thread(() -> {
                while (true) {
                    long sent;
                    if (rate > 0) {
                        sent = start + (long) (sequence.getAndIncrement() * 1e9 / rate);
                        long wait = sent - System.nanoTime();
                        if (wait > 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(wait);
                        }
                    } else {
                        sent = System.nanoTime();
                    }
                    if (sent >= end) {
                        return;
                    }
                    int status;
                    try {
                        status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                    } catch (Exception e) {
                        failed.incrementAndGet();
                        continue;
                    }
                    long answered = System.nanoTime();
                    if (status == 200) {
                        ok.incrementAndGet();
                    } else {
                        notOk.incrementAndGet();
                    }
                    if (sent >= measureFrom && answered <= end && status == 200) {
                        measuredOk.incrementAndGet();
                        if (counts[index] == latencies[index].length) {
                            latencies[index] = Arrays.copyOf(latencies[index], counts[index] * 2);
                        }
                        latencies[index][counts[index]++] = answered - sent;
                    }
                }
            }, "load-" + t);
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int t = 0; t < connections; t++) {
            System.arraycopy(latencies[t], 0, all, at, counts[t]);
            at += counts[t];
        }
        Arrays.sort(all);
        double seconds = measureNanos / 1e9;
        System.out.printf(java.util.Locale.ROOT,
                "RESULT ok=%d notOk=%d failed=%d measuredOk=%d perSecond=%.1f p50ms=%.2f p99ms=%.2f maxms=%.2f%n",
                ok.get(), notOk.get(), failed.get(), measuredOk.get(), measuredOk.get() / seconds,
                percentile(all, 0.50), percentile(all, 0.99), all.length == 0 ? 0 : all[all.length - 1] / 1e6);
    }

    static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }
}
