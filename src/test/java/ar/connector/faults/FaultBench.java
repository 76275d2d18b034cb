package ar.connector.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import ar.connector.sandbox.contabilium.ContabiliumSandbox;
import ar.connector.sandbox.contabilium.Endpoint;
import ar.connector.sandbox.contabilium.SandboxAccount;
import ar.connector.sandbox.contabilium.SandboxDocument;
import ar.connector.sandbox.jumpseller.JumpsellerSandbox;
import ar.connector.sandbox.jumpseller.SandboxStore;
import ar.connector.support.Http;

/**
 * The bench of the fault tests: both sandboxes in the test JVM, the packaged connector as a process
 * of its own (started with {@code java -jar} like {@code JarStartupIT}), optionally an Artemis broker
 * as a third process, and the reconciliation every fault scenario ends with: each paid order has
 * exactly one invoice in the Contabilium sandbox.
 */
final class FaultBench implements AutoCloseable {

    static final String ADMIN_PASSWORD = "faults-admin-password";
    static final java.time.ZoneId BUENOS_AIRES = java.time.ZoneId.of("America/Argentina/Buenos_Aires");
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final HttpClient WEBHOOKS = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final JumpsellerSandbox jumpseller = JumpsellerSandbox.start();
    final ContabiliumSandbox contabilium = ContabiliumSandbox.start();
    final ManagedProcess connector;
    final ManagedProcess broker;
    final int port;
    final Http admin;
    final Http anonymous;

    /** One Contabilium account and one Jumpseller store with their paid (and some unpaid) orders. */
    record Shop(String name, SandboxAccount account, SandboxStore store, List<Long> paid, List<Long> unpaid,
            long linkId) {

        String reference(long orderId) {
            return "jumpseller:" + store.code() + ":" + orderId;
        }

        Shop linked(long id) {
            return new Shop(name, account, store, paid, unpaid, id);
        }
    }

    /**
     * @param brokerSettings {@code redeliveryDelayMs, maxRedeliveryDelayMs, maxDeliveryAttempts} for an
     *                       external broker, or null to run the connector on its embedded broker
     */
    FaultBench(String label, Path workDir, List<String> connectorArgs, long[] brokerSettings) throws IOException {
        jumpseller.setRateLimits(0, 0);
        contabilium.unlimited();
        port = freePort();
        Path dataDir = workDir.resolve("connector-data");
        List<String> command = ManagedProcess.command(ManagedProcess.java(), "-Xmx512m", "-jar", builtJar().toString(),
                "--server.port=" + port,
                "--connector.admin.password=" + ADMIN_PASSWORD,
                "--connector.data-dir=" + dataDir,
                "--connector.jumpseller.api-url=" + jumpseller.baseUrl(),
                "--connector.contabilium.api-url=" + contabilium.baseUrl(),
                // Unlimited sandboxes: the connector's own limiters are opened up accordingly.
                "--connector.jumpseller.rate-limit.per-second=1000",
                "--connector.jumpseller.rate-limit.per-minute=60000",
                "--connector.contabilium.rate-limit.requests=1000",
                "--connector.contabilium.rate-limit.period=1s",
                "--connector.contabilium.rate-limit.inventory-requests=1000",
                "--connector.contabilium.rate-limit.block=1s",
                "--connector.api.retry-backoff=50ms",
                // The poll stays out of the way: these tests are about runs, webhooks and recovery.
                "--connector.polling.interval=1h",
                "--connector.polling.initial-delay=1h",
                "--logging.level.ar.connector=INFO");
        if (brokerSettings != null) {
            int brokerPort = freePort();
            broker = new ManagedProcess(label + "-broker", ManagedProcess.command(ManagedProcess.java(), "-Xmx256m",
                    "-cp", ManagedProcess.testClassPath(), StandaloneBroker.class.getName(),
                    String.valueOf(brokerPort), workDir.resolve("broker-data").toString(),
                    String.valueOf(brokerSettings[0]), String.valueOf(brokerSettings[1]),
                    String.valueOf(brokerSettings[2])), workDir);
            command.add("--spring.artemis.mode=native");
            command.add("--spring.artemis.embedded.enabled=false");
            command.add("--spring.artemis.broker-url=tcp://127.0.0.1:" + brokerPort);
        } else {
            broker = null;
        }
        command.addAll(connectorArgs);
        connector = new ManagedProcess(label + "-connector", command, workDir);
        admin = Http.basic("http://127.0.0.1:" + port, "admin", ADMIN_PASSWORD);
        anonymous = Http.anonymous("http://127.0.0.1:" + port);
    }

    // ------------------------------------------------------------------ processes

    /** Starts the broker and waits until it accepts connections. */
    Duration startBroker() {
        long started = System.nanoTime();
        broker.start();
        await("broker ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            assertThat(broker.isAlive()).as("the broker exited:\n%s", broker.output()).isTrue();
            return broker.output().contains(StandaloneBroker.READY);
        });
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** Starts the connector and waits until it is healthy; answers how long that took. */
    Duration startConnector() {
        long started = System.nanoTime();
        connector.start();
        awaitHealthy(Duration.ofMinutes(5));
        return Duration.ofNanos(System.nanoTime() - started);
    }

    void awaitHealthy(Duration atMost) {
        await("connector healthy").atMost(atMost).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> {
                    assertThat(connector.isAlive()).as("the connector exited:\n%s", connector.output()).isTrue();
                    Http.Response health = anonymous.get("/actuator/health");
                    return health.status() == 200 && "UP".equals(health.json().path("status").asText());
                });
    }

    /** The health of the running connector as an admin sees it (details included), or null while it does not answer. */
    JsonNode health() {
        try {
            return admin.get("/actuator/health").json();
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public void close() {
        connector.stop();
        if (broker != null) {
            broker.stop();
        }
        jumpseller.close();
        contabilium.close();
    }

    // ------------------------------------------------------------------ data

    /**
     * A fresh account and store: {@code skus} products at 21 % that exist as Contabilium concepts,
     * {@code paid} paid orders from as many distinct buyers (each with a DNI, one or two lines) and
     * {@code unpaid} orders awaiting payment, which no run may invoice.
     */
    Shop newShop(String name, int skus, int paid, int unpaid) {
        int n = SEQ.incrementAndGet();
        String email = name + "-" + n + "@example.com";
        SandboxAccount account = contabilium.addAccount(email, "key-" + n, "RI", "Vendedor " + n + " SA", "30712345674");
        account.seedDefaults();
        List<String> codes = new ArrayList<>();
        for (int s = 1; s <= skus; s++) {
            String sku = String.format("SKU-%03d", s);
            codes.add(sku);
            account.addConcepto(sku, "Producto " + sku, new BigDecimal("1210.00"), new BigDecimal("21"));
        }
        String code = name + "-" + n;
        SandboxStore store = jumpseller.addStore(code, "Tienda " + name, "login" + n, "token" + n, "hooks" + n);
        return addOrders(new Shop(name, account, store, new ArrayList<>(), new ArrayList<>(), 0), codes, paid, unpaid);
    }

    Shop addOrders(Shop shop, List<String> codes, int paid, int unpaid) {
        int base = shop.paid().size() + shop.unpaid().size();
        for (int i = base; i < base + paid + unpaid; i++) {
            var order = shop.store().newOrder()
                    .customer("comprador" + i + "@example.com", "Comprador " + i)
                    .additionalField("DNI", String.valueOf(20_000_000 + i))
                    .line(codes.get(i % codes.size()), 1 + i % 3, 1210.00);
            if (i % 2 == 0) {
                order.line(codes.get((i * 7 + 3) % codes.size()), 1, 605.50);
            }
            boolean isPaid = i < base + paid;
            long id = order.status(isPaid ? "paid" : "pending_payment").create();
            (isPaid ? shop.paid() : shop.unpaid()).add(id);
        }
        return shop;
    }

    static List<String> skuCodes(int skus) {
        return Stream.iterate(1, s -> s + 1).limit(skus).map(s -> String.format("SKU-%03d", s)).toList();
    }

    /** Links the shop through the admin API (the connector's live check of SPEC §2 included). */
    Shop link(Shop shop, Map<String, Object> extraSettings) {
        Map<String, Object> settings = new HashMap<>(Map.of("puntoDeVentaId", 1, "condicionDeVenta", "Contado",
                "includeShippingCost", false, "emailReceipts", false, "autoInvoice", true));
        settings.putAll(extraSettings);
        SandboxAccount account = shop.account();
        String n = account.apiKey().substring("key-".length());
        Map<String, Object> body = Map.of("name", "Tienda " + shop.name(),
                "contabilium", Map.of("clientId", account.email(), "clientSecret", account.apiKey()),
                "jumpseller", Map.of("storeCode", shop.store().code(), "login", "login" + n, "authToken", "token" + n),
                "settings", settings);
        Http.Response created = admin.post("/api/links", json(body));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return shop.linked(created.json().path("id").asLong());
    }

    /** Starts a bulk run over the Buenos Aires days around today (every order of the shop). */
    String startRun(Shop shop) {
        LocalDate today = LocalDate.now(BUENOS_AIRES);
        Http.Response started = admin.post("/api/links/" + shop.linkId() + "/invoice-runs",
                json(Map.of("from", today.minusDays(1).toString(), "to", today.plusDays(1).toString())));
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        return started.json().path("runId").asText();
    }

    JsonNode run(String runId) {
        Http.Response run = admin.get("/api/invoice-runs/" + runId);
        assertThat(run.status()).as(run.toString()).isEqualTo(200);
        return run.json();
    }

    /** Waits until the run is DONE, the connector staying alive; answers the run's last view. */
    JsonNode awaitRunDone(String runId, Duration atMost) {
        JsonNode[] last = new JsonNode[1];
        await("run " + runId + " done").atMost(atMost).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> {
                    assertThat(connector.isAlive()).as("the connector exited:\n%s", connector.output()).isTrue();
                    last[0] = run(runId);
                    return "DONE".equals(last[0].path("state").asText());
                });
        return last[0];
    }

    /** Orders of the link in the given state, as the order log counts them. */
    long logCount(Shop shop, String status) {
        Http.Response page = admin.get("/api/links/" + shop.linkId() + "/orders?status=" + status + "&size=1");
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        JsonNode body = page.json();
        return body.has("totalElements") ? body.path("totalElements").asLong() : body.at("/page/totalElements").asLong();
    }

    /** Sends the paid order's webhook as Jumpseller signs it; answers the HTTP status (-1 when unreachable). */
    int signedWebhook(Shop shop, String event, long orderId) {
        byte[] body = json(Map.of("order", shop.store().order(orderId))).getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/jumpseller"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Jumpseller-Event", event)
                .header("Jumpseller-Store-Code", shop.store().code())
                .header("Jumpseller-Hmac-Sha256", shop.store().sign(body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            return WEBHOOKS.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    int issued(Shop shop) {
        return shop.account().issuedInvoices().size();
    }

    // ------------------------------------------------------------------ crashes

    /** One SIGKILL of the connector: invoices issued when it died, time to healthy and to the next invoice. */
    record Kill(int number, int issuedAtKill, Duration toHealthy, Duration toNextInvoice) {

        String line() {
            return String.format("kill #%d: %d invoices issued when the process died; restarted healthy in %s, "
                    + "next invoice %s after the restart", number, issuedAtKill, seconds(toHealthy),
                    seconds(toNextInvoice));
        }
    }

    /**
     * While the run is in progress: for each entry, waits until that many more invoices were issued,
     * SIGKILLs the connector, restarts it on the same data and waits for invoicing to resume.
     */
    List<Kill> killAndRestartMidRun(Shop shop, int... invoicesBeforeEachKill) {
        List<Kill> kills = new ArrayList<>();
        for (int k = 0; k < invoicesBeforeEachKill.length; k++) {
            int target = issued(shop) + invoicesBeforeEachKill[k];
            await("%d invoices before kill #%d".formatted(target, k + 1)).atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(20)).until(() -> {
                        assertThat(connector.isAlive()).as("the connector exited:\n%s", connector.output()).isTrue();
                        return issued(shop) >= target;
                    });
            assertThat(issued(shop)).as("the run must still be in progress at kill #%d: more orders or more latency",
                    k + 1).isLessThan(shop.paid().size());
            connector.kill();
            int atKill = issued(shop);
            long restarted = System.nanoTime();
            Duration healthy = startConnector();
            await("invoicing resumes after kill #" + (k + 1)).atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> issued(shop) > atKill || issued(shop) >= shop.paid().size());
            Kill kill = new Kill(k + 1, atKill, healthy, Duration.ofNanos(System.nanoTime() - restarted));
            System.out.println(kill.line());
            kills.add(kill);
        }
        return kills;
    }

    // ------------------------------------------------------------------ reconciliation

    /** What the Contabilium sandbox holds for a shop, against the shop's paid orders. */
    record Reconciliation(String scenario, int paidOrders, int invoices, List<Long> missing,
            Map<Long, Integer> duplicated, List<String> strays, int drafts, long crear, long emitirFe,
            long otherCalls, int concurrentEmitirViolations) {

        String line() {
            return String.format("%-34s paid=%4d invoices=%4d missing=%3d duplicated=%3d strays=%3d drafts=%3d "
                    + "crear=%4d emitirFE=%4d other-calls=%5d concurrent-emitirFE=%d", scenario, paidOrders, invoices,
                    missing.size(), duplicated.size(), strays.size(), drafts, crear, emitirFe, otherCalls,
                    concurrentEmitirViolations);
        }

        void assertExactlyOnePerPaidOrder() {
            assertThat(missing).as("%s: paid orders without an invoice", scenario).isEmpty();
            assertThat(duplicated).as("%s: paid orders with more than one invoice", scenario).isEmpty();
            assertThat(strays).as("%s: invoices for no paid order", scenario).isEmpty();
            assertThat(invoices).as(scenario).isEqualTo(paidOrders);
            assertThat(drafts).as("%s: drafts left behind in Contabilium", scenario).isZero();
            assertThat(concurrentEmitirViolations).as("%s: concurrent emitirFE calls on one account", scenario).isZero();
        }
    }

    Reconciliation reconcile(String scenario, Shop shop) {
        Map<String, Long> byReference = shop.account().issuedInvoices().stream()
                .collect(Collectors.groupingBy(d -> String.valueOf(d.refExterna()), LinkedHashMap::new,
                        Collectors.counting()));
        List<Long> missing = new ArrayList<>();
        Map<Long, Integer> duplicated = new LinkedHashMap<>();
        for (long orderId : shop.paid()) {
            long count = byReference.getOrDefault(shop.reference(orderId), 0L);
            if (count == 0) {
                missing.add(orderId);
            } else if (count > 1) {
                duplicated.put(orderId, (int) count);
            }
        }
        Set<String> expected = shop.paid().stream().map(shop::reference).collect(Collectors.toSet());
        List<String> strays = byReference.keySet().stream().filter(ref -> !expected.contains(ref)).toList();
        String email = shop.account().email();
        long crear = contabilium.count(email, Endpoint.CREAR);
        long emitir = contabilium.count(email, Endpoint.EMITIR_FE);
        return new Reconciliation(scenario, shop.paid().size(), shop.account().issuedInvoices().size(), missing,
                duplicated, strays, shop.account().drafts().size(), crear, emitir,
                contabilium.count(email) - crear - emitir, contabilium.concurrentEmitirViolations());
    }

    /** Drafts left in the sandbox, for the failure message. */
    static String describe(List<SandboxDocument> documents) {
        return documents.stream().map(d -> d.id() + " " + d.tipoFc() + " " + d.refExterna() + (d.issued() ? " CAE " + d.cae() : " draft"))
                .collect(Collectors.joining("\n"));
    }

    // ------------------------------------------------------------------ helpers

    static String json(Object value) {
        try {
            return Http.JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    static Path builtJar() throws IOException {
        Path target = Path.of(System.getProperty("basedir", "."), "target");
        try (Stream<Path> files = Files.list(target)) {
            List<Path> jars = files.filter(file -> file.getFileName().toString().endsWith(".jar"))
                    .filter(file -> !file.getFileName().toString().endsWith("-sources.jar"))
                    .toList();
            assertThat(jars).as("exactly one jar built by `package` in %s", target).hasSize(1);
            return jars.get(0);
        }
    }

    static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }
}
