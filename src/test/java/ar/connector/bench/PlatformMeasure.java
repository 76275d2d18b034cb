package ar.connector.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import ar.connector.bench.Benchmark.Linked;
import ar.connector.bench.Benchmark.Row;
import ar.connector.faults.StandaloneBroker;
import ar.connector.sandbox.contabilium.ContabiliumSandbox;
import ar.connector.sandbox.contabilium.Endpoint;
import ar.connector.sandbox.contabilium.RecordedCall;
import ar.connector.sandbox.contabilium.SandboxAccount;
import ar.connector.sandbox.contabilium.SandboxDocument;
import ar.connector.sandbox.jumpseller.JumpsellerSandbox;
import ar.connector.sandbox.jumpseller.SandboxStore;
import ar.connector.support.Http;
import ar.connector.support.PostgresSchema;

/**
 * Measure 7, the platform (issue 15): many small merchants and one bulk run on one connector
 * deployment. {@code accounts} small accounts (one Jumpseller store and one Contabilium account
 * each, linked through the admin API) receive {@value #ORDERS_PER_ACCOUNT} paid orders each as
 * signed {@code order_paid} webhooks at random moments of one minute, while one further account
 * runs a bulk run (admin API) of {@code bulkOrders} orders. The sandboxes enforce the live limits
 * (Contabilium 25 requests per sliding 10 s per account, blocked 60 s when exceeded, inventory 30;
 * Jumpseller 20 per second and 800 per minute per store) and emitirFE takes 300 ms; the connector
 * runs with its default limits, its Contabilium budget per account ({@code rate-limit.scope=account}) as the
 * sandbox limits. Reported: time from each webhook to its CAE (the emitirFE answer
 * the sandbox recorded), invoices per second over the platform, the busiest window per account
 * from the sandboxes' own accounting, 429s.
 *
 * <p>Scale: the accounts (200) and the bulk run (2,000) scale with {@code bench.scale}; the ten
 * orders per account, the minute and the limits do not (they are what makes the measure). The
 * measure stops when every small order has its CAE or at the cap (from the first webhook;
 * {@code -Dbench.platform.cap=SECONDS}, default the minute plus max(60 s, 600 s × scale)); the
 * bulk run is not waited for (2,000 orders need about half an hour at the account's rate limit).
 * Before it, a warm-up sends the same minute of webhooks to as many other accounts and waits for
 * their CAEs, so the measure sees a connector whose JIT has compiled the path, as a platform's
 * long-running one has ({@code -Dbench.platform.warmup=false}: a cold JVM, as before 2026-12-06).
 *
 * <p>7a: one connector JVM (H2, embedded Artemis). 7b: two connector JVMs on one fresh PostgreSQL
 * schema and one Artemis broker in a JVM of its own ({@link StandaloneBroker}, the fault suite's),
 * the webhooks alternating between the replicas as a load balancer would send them.
 */
final class PlatformMeasure {

    static final int ORDERS_PER_ACCOUNT = 10;
    static final int SKUS_PER_ACCOUNT = 5;
    static final Duration ARRIVAL = Duration.ofMinutes(1);
    static final int CB_REQUESTS = 25;
    static final Duration CB_PERIOD = Duration.ofSeconds(10);
    static final int CB_INVENTORY_REQUESTS = 30;
    static final Duration CB_BLOCK = Duration.ofSeconds(60);
    static final int JS_PER_SECOND = 20;
    static final int JS_PER_MINUTE = 800;
    static final Duration EMITIR_LATENCY = Duration.ofMillis(300);
    /** How long after starting the bulk run the first webhook goes out, so its orders are queued first. */
    static final Duration BULK_HEAD_START = Duration.ofSeconds(3);
    private static final Pattern ID_PARAM = Pattern.compile("[?&]id=(\\d+)", Pattern.CASE_INSENSITIVE);

    private final double scale;
    private final Path jar;
    private final Path work;
    private final List<Row> rows;
    private final List<String> notes;
    private final int accounts;
    private final int bulkOrders;
    private final Duration cap;
    /** -Dbench.platform.warmup (default true): the same load on other accounts before the measure. */
    private final boolean warmUp = !"false".equals(System.getProperty("bench.platform.warmup", "true"));

    /** One webhook to send: which replica, when (from the first), what. */
    private record Hook(String key, int replica, long offsetNanos, String storeCode, String body, String signature) {
    }

    /** The sandboxes of one variant, at the live limits. */
    private static final class Sandboxes implements AutoCloseable {
        final ContabiliumSandbox contabilium = ContabiliumSandbox.start(0, 64);
        final JumpsellerSandbox jumpseller = JumpsellerSandbox.start();

        Sandboxes() {
            contabilium.setLimits(CB_REQUESTS, CB_PERIOD, CB_INVENTORY_REQUESTS, CB_BLOCK);
            contabilium.setEmitirLatency(EMITIR_LATENCY);
            jumpseller.setRateLimits(JS_PER_SECOND, JS_PER_MINUTE);
        }

        /**
         * The sandboxes' URLs, and Contabilium's budget per account as the sandbox enforces it: with the
         * default scope ({@code instance}: one budget for all accounts, for a service that limits per
         * address) the whole platform would share 25 calls per 10 s, whatever the invoicing does.
         */
        Map<String, String> connectorProperties() {
            Map<String, String> props = new LinkedHashMap<>();
            props.put("connector.jumpseller.api-url", jumpseller.baseUrl().toString());
            props.put("connector.contabilium.api-url", contabilium.baseUrl().toString());
            props.put("connector.contabilium.rate-limit.scope", "account");
            return props;
        }

        @Override
        public void close() {
            jumpseller.close();
            contabilium.close();
        }
    }

    PlatformMeasure(double scale, Path jar, Path work, List<Row> rows, List<String> notes) {
        this.scale = scale;
        this.jar = jar;
        this.work = work;
        this.rows = rows;
        this.notes = notes;
        this.accounts = Math.max(2, (int) Math.round(200 * scale));
        this.bulkOrders = Math.max(50, (int) Math.round(2000 * scale));
        long capSeconds = Long.parseLong(System.getProperty("bench.platform.cap", "0").isBlank() ? "0"
                : System.getProperty("bench.platform.cap", "0"));
        this.cap = capSeconds > 0 ? Duration.ofSeconds(capSeconds)
                : ARRIVAL.plusSeconds(Math.max(60, Math.round(600 * scale)));
    }

    // ------------------------------------------------------------------ 7a and 7b

    void oneInstance() {
        try (Sandboxes sandboxes = new Sandboxes()) {
            Benchmark.log("7a: starting one connector JVM (H2, embedded Artemis, default limits)");
            try (ConnectorProcess connector = ConnectorProcess.start(jar, work.resolve("platform-7a"),
                    List.of("-Xmx512m"), sandboxes.connectorProperties())) {
                measure("7a", "one connector JVM (H2, embedded Artemis)", sandboxes, List.of(connector));
            }
        }
    }

    void twoReplicas() {
        if (!PostgresSchema.reachable()) {
            rows.add(new Row("7b platform, 2 replicas", "n/a (no PostgreSQL)", "", PostgresSchema.SKIPPED));
            return;
        }
        String schema = PostgresSchema.newName();
        if (!PostgresSchema.create(schema)) {
            throw new IllegalStateException("could not create schema " + schema);
        }
        Path dir = work.resolve("platform-7b");
        Process broker = null;
        try (Sandboxes sandboxes = new Sandboxes()) {
            int brokerPort = ConnectorProcess.freePort();
            broker = startBroker(brokerPort, dir.resolve("broker"));
            Map<String, String> props = new LinkedHashMap<>(sandboxes.connectorProperties());
            props.put("spring.profiles.active", "cluster");
            props.put("spring.datasource.url", PostgresSchema.URL + "?currentSchema=" + schema);
            props.put("spring.datasource.username", PostgresSchema.USER);
            props.put("spring.datasource.password", "");
            props.put("spring.artemis.broker-url", "tcp://127.0.0.1:" + brokerPort);
            Benchmark.log("7b: broker on port %d, schema %s; starting replica a, then b", brokerPort, schema);
            // One after the other: the first runs Flyway on the empty schema.
            try (ConnectorProcess a = ConnectorProcess.start(jar, dir.resolve("replica-a"), List.of("-Xmx512m"), props);
                    ConnectorProcess b = ConnectorProcess.start(jar, dir.resolve("replica-b"), List.of("-Xmx512m"), props)) {
                measure("7b", "two connector JVMs on one PostgreSQL and one Artemis", sandboxes, List.of(a, b));
            }
        } finally {
            if (broker != null) {
                broker.destroy();
                try {
                    if (!broker.waitFor(30, TimeUnit.SECONDS)) {
                        broker.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            PostgresSchema.drop(schema);
        }
    }

    private static Process startBroker(int port, Path dir) {
        try {
            Files.createDirectories(dir);
            Path log = dir.resolve("broker.log");
            Process broker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-cp", System.getProperty("java.class.path"), StandaloneBroker.class.getName(),
                    String.valueOf(port), dir.toAbsolutePath().toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                if (Files.readString(log).contains(StandaloneBroker.READY)) {
                    return broker;
                }
                if (!broker.isAlive()) {
                    throw new IllegalStateException("the broker exited: " + Files.readString(log));
                }
                Bench.pause(Duration.ofMillis(200));
            }
            broker.destroyForcibly();
            throw new IllegalStateException("the broker was not ready within 60 s: " + Files.readString(log));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ the measure

    private void measure(String label, String deployment, Sandboxes sb, List<ConnectorProcess> connectors) {
        ContabiliumSandbox contabilium = sb.contabilium;
        JumpsellerSandbox jumpseller = sb.jumpseller;
        Http admin = connectors.get(0).admin;
        String run = UUID.randomUUID().toString().substring(0, 4);

        // Links: the bulk account, then the small ones (four at a time through the admin API).
        int bulkSkus = Math.max(2, bulkOrders / 5);
        Linked bulk = Benchmark.link(admin, contabilium, jumpseller, "p" + label + run + "-bulk",
                Map.of("emailReceipts", false), skus(bulkSkus));
        Benchmark.seedOrders(bulk.store(), bulkOrders, Math.max(3, bulkOrders * 3 / 10), bulkSkus, 71);
        List<Linked> small = linkSmallAccounts(admin, contabilium, jumpseller, "p" + label + run + "-");
        Benchmark.log("%s: %d small accounts and one bulk account (%d orders) linked", label, small.size(), bulkOrders);

        // The webhooks: ten paid orders per small account at random moments of the minute.
        List<Hook> hooks = hooks(small, connectors.size(), 7, 1_000L);
        int smallOrders = hooks.size();
        List<Http> receivers = connectors.stream().map(c -> Http.anonymous(c.baseUrl)).toList();
        String warmedUp = warmUp ? warmUp(label, run, admin, contabilium, jumpseller, connectors.size(), receivers) : null;

        int cbHitsBefore = contabilium.rateLimitHits();
        int violationsBefore = contabilium.concurrentEmitirViolations();
        Duration cpuBefore = connectors.stream().map(ConnectorProcess::cpu).reduce(Duration.ZERO, Duration::plus);

        // The bulk run first, so its orders are queued ahead of the small merchants' webhooks.
        LocalDate today = LocalDate.now(java.time.ZoneId.of("America/Argentina/Buenos_Aires"));
        Http.Response started = admin.post("/api/links/" + bulk.linkId() + "/invoice-runs",
                Benchmark.json(Map.of("from", today.minusDays(1).toString(), "to", today.toString())));
        if (started.status() != 202) {
            throw new IllegalStateException("bulk run not started: " + started);
        }
        String runId = started.json().get("runId").asText();
        Bench.pause(BULK_HEAD_START);

        Map<String, Instant> sentAt = new ConcurrentHashMap<>();
        List<Long> ackNanos = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger notOk = new AtomicInteger();
        Map<String, Integer> refusals = new ConcurrentHashMap<>();
        long t0 = System.nanoTime();
        Instant start = Instant.now();
        Benchmark.log("%s: %d webhooks over %s from %s; cap %s", label, smallOrders, ARRIVAL, start, cap);
        ScheduledExecutorService sender = send(hooks, receivers, sentAt, ackNanos, notOk, refusals);

        // Until every small order has its CAE, or the cap.
        long capNanos = t0 + cap.toNanos();
        long nextLog = t0;
        int done = 0;
        while (System.nanoTime() < capNanos) {
            done = small.stream().mapToInt(l -> l.account().issuedInvoices().size()).sum();
            if (System.nanoTime() >= nextLog) {
                Benchmark.log("%s: +%d s: %d/%d small orders with a CAE, bulk account %d, webhooks acknowledged %d",
                        label, Duration.ofNanos(System.nanoTime() - t0).toSeconds(), done, smallOrders,
                        bulk.account().issuedInvoices().size(), sentAt.size());
                nextLog += Duration.ofSeconds(10).toNanos();
            }
            if (done >= smallOrders) {
                break;
            }
            Bench.pause(Duration.ofMillis(250));
        }
        Instant end = Instant.now();
        boolean capHit = done < smallOrders;
        sender.shutdownNow();
        Duration connectorCpu = connectors.stream().map(ConnectorProcess::cpu).reduce(Duration.ZERO, Duration::plus)
                .minus(cpuBefore);
        JsonNode bulkView = admin.get("/api/invoice-runs/" + runId).json();

        // CAE times as the sandbox recorded them: the answer of the emitirFE that issued each document.
        Map<String, SandboxAccount> byEmail = new HashMap<>();
        small.forEach(l -> byEmail.put(l.email().toLowerCase(), l.account()));
        byEmail.put(bulk.email().toLowerCase(), bulk.account());
        List<RecordedCall> calls = contabilium.calls();
        Map<String, Instant> caeAt = new HashMap<>();
        int smallCaes = 0;
        int bulkCaes = 0;
        for (RecordedCall call : calls) {
            if (call.endpoint() != Endpoint.EMITIR_FE || call.status() != 200 || call.account() == null
                    || call.at().isBefore(start) || call.at().isAfter(end)) {
                continue;
            }
            SandboxAccount account = byEmail.get(call.account().toLowerCase());
            Matcher id = ID_PARAM.matcher(call.uri());
            if (account == null || !id.find()) {
                continue;
            }
            Optional<SandboxDocument> doc = account.document(Long.parseLong(id.group(1)));
            if (doc.isEmpty() || !doc.get().issued() || doc.get().refExterna() == null) {
                continue;
            }
            // RefExterna = jumpseller:<storeCode>:<orderId>
            String ref = doc.get().refExterna();
            String key = ref.startsWith("jumpseller:") ? ref.substring("jumpseller:".length()) : ref;
            if (caeAt.putIfAbsent(key, call.at()) == null) {
                if (account == bulk.account()) {
                    bulkCaes++;
                } else {
                    smallCaes++;
                }
            }
        }
        double[] latencies = new double[smallOrders];
        int withCae = 0;
        for (int i = 0; i < hooks.size(); i++) {
            Instant sent = sentAt.get(hooks.get(i).key());
            Instant cae = caeAt.get(hooks.get(i).key());
            if (sent != null && cae != null) {
                latencies[i] = Math.max(0, Duration.between(sent, cae).toNanos() / 1e9);
                withCae++;
            } else {
                latencies[i] = Double.POSITIVE_INFINITY;
            }
        }
        Arrays.sort(latencies);
        double[] finite = Arrays.copyOf(latencies, withCae);
        double elapsed = Benchmark.seconds(Duration.between(start, end));

        // Busiest windows, from the sandboxes' own accounting of arrivals.
        List<Linked> all = new ArrayList<>(small);
        all.add(bulk);
        int cbBusiest = 0;
        int cbOver = 0;
        int jsBusiestSecond = 0;
        int jsBusiestMinute = 0;
        int jsOver = 0;
        int jsHits = 0;
        for (Linked l : all) {
            int max = contabilium.maxRequestsInAnyWindow(l.email());
            cbBusiest = Math.max(cbBusiest, max);
            cbOver += max > CB_REQUESTS ? 1 : 0;
            SandboxStore s = l.store();
            jsBusiestSecond = Math.max(jsBusiestSecond, s.maxPerSecondObserved());
            jsBusiestMinute = Math.max(jsBusiestMinute, s.maxPerMinuteObserved());
            jsOver += s.maxPerSecondObserved() > JS_PER_SECOND || s.maxPerMinuteObserved() > JS_PER_MINUTE ? 1 : 0;
            jsHits += s.rateLimitHits();
        }
        int inventoryBusiest = busiestInventoryWindow(calls);
        int bulkBusiest = contabilium.maxRequestsInAnyWindow(bulk.email());
        int cbHits = contabilium.rateLimitHits() - cbHitsBefore;
        int violations = contabilium.concurrentEmitirViolations() - violationsBefore;

        String scaleNote = small.size() + " accounts × " + ORDERS_PER_ACCOUNT + " orders over " + ARRIVAL.toSeconds()
                + " s while a bulk run of " + bulkOrders + " orders runs (scale " + scale + "); " + deployment
                + (warmedUp == null ? "; a cold JVM (no warm-up)" : "; " + warmedUp);
        String within = capHit
                ? withCae + " of " + smallOrders + " small orders got their CAE within the cap of " + cap.toSeconds()
                        + " s from the first webhook (cap hit; the others count as slower than any figure)"
                        + (withCae == 0 ? "" : "; of those " + withCae + ": p50 " + seconds(percentile(finite, 0.50))
                                + ", p99 " + seconds(percentile(finite, 0.99)) + ", max " + seconds(finite[withCae - 1]))
                : "all " + smallOrders + " small orders got their CAE, the last " + Benchmark.fmt(elapsed, 1)
                        + " s after the first webhook";
        rows.add(new Row(label + " webhook → CAE, small merchants, p50 / p99", seconds(percentile(latencies, 0.50))
                + " / " + seconds(percentile(latencies, 0.99)), "p99 ≤ 10 s", within + "; " + scaleNote
                        + "; webhooks answered other than 200: " + notOk.get() + (refusals.isEmpty() ? "" : " " + refusals)
                        + " (not retried: those orders get no CAE); acknowledgement p99 "
                        + Benchmark.fmt(ackP99(ackNanos), 1) + " ms"));
        rows.add(new Row(label + " platform throughput", Benchmark.fmt((smallCaes + bulkCaes) / elapsed, 2) + " invoices/s",
                "(report)", (smallCaes + bulkCaes) + " CAEs in " + Benchmark.fmt(elapsed, 1) + " s: " + smallCaes
                        + " small-merchant, " + bulkCaes + " of the bulk run (its run view: "
                        + bulkView.path("invoiced").asLong() + "/" + bulkOrders + " invoiced, " + bulkView.path("state").asText()
                        + "); the bulk account alone may reach " + Benchmark.fmt(CB_REQUESTS / Benchmark.seconds(CB_PERIOD) / 2, 2)
                        + " invoices/s (2 calls each at " + CB_REQUESTS + " per " + CB_PERIOD.toSeconds() + " s); connector CPU "
                        + Benchmark.fmt(Benchmark.seconds(connectorCpu), 1) + " s over the measure"));
        rows.add(new Row(label + " busiest window per account", "Contabilium " + cbBusiest + " of " + CB_REQUESTS
                + " per 10 s; Jumpseller " + jsBusiestSecond + " of " + JS_PER_SECOND + " per s, " + jsBusiestMinute
                + " of " + JS_PER_MINUTE + " per min", "never above the limit", cbOver + " Contabilium accounts and "
                        + jsOver + " stores over their limit, of " + all.size() + "; bulk account " + bulkBusiest
                        + "; Contabilium: most arrivals in any sliding 10 s (general budget, the sandbox's limiter, link set-up"
                        + " included); Jumpseller: most arrivals in one clock second / minute (its fixed windows); inventory"
                        + " budget (answer times) " + inventoryBusiest + " of " + CB_INVENTORY_REQUESTS
                        + "; concurrent emitirFE of one account: " + violations));
        rows.add(new Row(label + " HTTP 429 answers", String.valueOf(cbHits + jsHits), "0",
                "Contabilium " + cbHits + ", Jumpseller " + jsHits));
        Benchmark.log("%s: %s; throughput %s invoices/s; 429s %d", label, within,
                Benchmark.fmt((smallCaes + bulkCaes) / elapsed, 2), cbHits + jsHits);
        if (notes.stream().noneMatch(n -> n.startsWith("Measure 7"))) {
            notes.add("Measure 7 (platform): sandboxes at the live limits (Contabilium " + CB_REQUESTS + " per sliding "
                    + CB_PERIOD.toSeconds() + " s per account, block " + CB_BLOCK.toSeconds() + " s; Jumpseller "
                    + JS_PER_SECOND + "/s, " + JS_PER_MINUTE + "/min per store), emitirFE " + EMITIR_LATENCY.toMillis()
                    + " ms, connector limits at their defaults; the number of small accounts and the bulk run scale, the "
                    + ORDERS_PER_ACCOUNT + " orders per account and the minute do not; cap " + cap.toSeconds() + " s; "
                    + (warmUp ? "each variant first warms up on as many other accounts (the same minute of webhooks,"
                            + " until their CAEs)." : "no warm-up (-Dbench.platform.warmup=false): a cold JVM."));
        }
    }

    /** The webhooks of {@code accounts}: ten paid orders each (seeded now), at random moments of the minute. */
    private static List<Hook> hooks(List<Linked> accounts, int replicas, long seed, long orderSeed) {
        Random random = new Random(seed);
        List<Hook> hooks = new ArrayList<>();
        int index = 0;
        for (int a = 0; a < accounts.size(); a++) {
            SandboxStore store = accounts.get(a).store();
            Benchmark.seedOrders(store, ORDERS_PER_ACCOUNT, ORDERS_PER_ACCOUNT, SKUS_PER_ACCOUNT, orderSeed + a);
            for (long orderId : store.orderIds()) {
                byte[] body = Benchmark.json(Map.of("order", store.order(orderId))).getBytes(StandardCharsets.UTF_8);
                hooks.add(new Hook(store.code() + ":" + orderId, index++ % replicas,
                        (long) (random.nextDouble() * ARRIVAL.toNanos()), store.code(),
                        new String(body, StandardCharsets.UTF_8), store.sign(body)));
            }
        }
        hooks.sort((x, y) -> Long.compare(x.offsetNanos(), y.offsetNanos()));
        return hooks;
    }

    /** Sends each webhook at its moment from now (16 senders); answers the scheduler, to stop once done. */
    private static ScheduledExecutorService send(List<Hook> hooks, List<Http> receivers, Map<String, Instant> sentAt,
            List<Long> ackNanos, AtomicInteger notOk, Map<String, Integer> refusals) {
        ScheduledExecutorService sender = Executors.newScheduledThreadPool(16);
        for (Hook hook : hooks) {
            sender.schedule(() -> {
                Instant sent = Instant.now();
                long before = System.nanoTime();
                try {
                    Http.Response answer = receivers.get(hook.replica()).send("POST", "/webhooks/jumpseller", hook.body(),
                            "application/json", Map.of("Jumpseller-Event", "order_paid",
                                    "Jumpseller-Store-Code", hook.storeCode(), "Jumpseller-Hmac-Sha256", hook.signature()));
                    if (answer.status() == 200) {
                        sentAt.put(hook.key(), sent);
                        ackNanos.add(System.nanoTime() - before);
                    } else {
                        notOk.incrementAndGet();
                        refusals.merge(String.valueOf(answer.status()), 1, Integer::sum);
                    }
                } catch (RuntimeException e) {
                    notOk.incrementAndGet();
                    refusals.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                }
            }, hook.offsetNanos(), TimeUnit.NANOSECONDS);
        }
        return sender;
    }

    /**
     * A platform connector runs for days: before the measured minute the same load goes to as many other
     * accounts (no bulk run), until their orders have their CAEs (at most the cap), so the measure sees
     * a JVM whose invoicing path the JIT has compiled. {@code -Dbench.platform.warmup=false} measures a
     * cold JVM instead. Answers what the warm-up did, for the report.
     */
    private String warmUp(String label, String run, Http admin, ContabiliumSandbox contabilium,
            JumpsellerSandbox jumpseller, int replicas, List<Http> receivers) {
        List<Linked> warm = linkSmallAccounts(admin, contabilium, jumpseller, "w" + label + run + "-");
        List<Hook> hooks = hooks(warm, replicas, 11, 5_000L);
        Benchmark.log("%s: warm-up: %d webhooks to %d other accounts over %s", label, hooks.size(), warm.size(), ARRIVAL);
        long t0 = System.nanoTime();
        ScheduledExecutorService sender = send(hooks, receivers, new ConcurrentHashMap<>(),
                java.util.Collections.synchronizedList(new ArrayList<>()), new AtomicInteger(), new ConcurrentHashMap<>());
        int done = 0;
        try {
            while (System.nanoTime() - t0 < cap.toNanos()) {
                done = warm.stream().mapToInt(l -> l.account().issuedInvoices().size()).sum();
                if (done >= hooks.size()) {
                    break;
                }
                Bench.pause(Duration.ofMillis(500));
            }
        } finally {
            sender.shutdownNow();
        }
        long seconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds();
        Benchmark.log("%s: warm-up done: %d/%d CAEs in %d s", label, done, hooks.size(), seconds);
        return "after a warm-up (" + warm.size() + " other accounts × " + ORDERS_PER_ACCOUNT + " orders over "
                + ARRIVAL.toSeconds() + " s, " + done + "/" + hooks.size() + " CAEs in " + seconds + " s)";
    }

    private List<Linked> linkSmallAccounts(Http admin, ContabiliumSandbox contabilium, JumpsellerSandbox jumpseller,
            String prefix) {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Linked>> futures = new ArrayList<>();
            for (int i = 0; i < accounts; i++) {
                String tag = prefix + i;
                futures.add(pool.submit(() -> Benchmark.link(admin, contabilium, jumpseller, tag,
                        Map.of("emailReceipts", false), skus(SKUS_PER_ACCOUNT))));
            }
            List<Linked> linked = new ArrayList<>();
            for (Future<Linked> f : futures) {
                linked.add(f.get());
            }
            return linked;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("linking failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Most inventory-budget calls of one account within any 10 s, by the times the sandbox answered them. */
    private static int busiestInventoryWindow(List<RecordedCall> calls) {
        Map<String, List<Instant>> byAccount = new HashMap<>();
        for (RecordedCall c : calls) {
            if (c.endpoint() != null && c.endpoint().inventory() && c.account() != null) {
                byAccount.computeIfAbsent(c.account().toLowerCase(), k -> new ArrayList<>()).add(c.at());
            }
        }
        int busiest = 0;
        for (List<Instant> times : byAccount.values()) {
            times.sort(null);
            int from = 0;
            for (int to = 0; to < times.size(); to++) {
                while (Duration.between(times.get(from), times.get(to)).compareTo(CB_PERIOD) >= 0) {
                    from++;
                }
                busiest = Math.max(busiest, to - from + 1);
            }
        }
        return busiest;
    }

    private static String[] skus(int count) {
        String[] skus = new String[count];
        for (int i = 0; i < count; i++) {
            skus[i] = "SKU-" + i;
        }
        return skus;
    }

    private static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private String seconds(double value) {
        return Double.isInfinite(value) ? "> " + cap.toSeconds() + " s (no CAE within the cap)"
                : Double.isNaN(value) ? "n/a" : Benchmark.fmt(value, 2) + " s";
    }

    private static double ackP99(List<Long> nanos) {
        long[] sorted;
        synchronized (nanos) {
            sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.max(0, (int) Math.ceil(0.99 * sorted.length) - 1)] / 1e6;
    }
}
