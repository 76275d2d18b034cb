package ar.connector.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ar.connector.ConnectorApplication;
import ar.connector.sandbox.contabilium.ContabiliumSandbox;
import ar.connector.sandbox.contabilium.SandboxAccount;
import ar.connector.sandbox.jumpseller.JumpsellerSandbox;
import ar.connector.sandbox.jumpseller.SandboxStore;
import ar.connector.sandbox.jumpseller.VariantSpec;

/**
 * Demo mode: {@code ./mvnw spring-boot:test-run} starts both sandboxes (Jumpseller on
 * 127.0.0.1:8091, Contabilium on 127.0.0.1:8092), seeds a demo store and account, starts the
 * connector on port 8080 against them (admin login {@code admin} / {@code demo}, data under
 * {@code ./data-demo}), links the two through the admin API and prints where everything is.
 *
 * <p>Ports and folders can be changed with system properties: {@code demo.jumpseller.port},
 * {@code demo.contabilium.port}, {@code demo.server.port} (0 = any free port) and
 * {@code demo.data-dir}, e.g. {@code ./mvnw spring-boot:test-run -Dspring-boot.run.jvmArguments="-Ddemo.server.port=9090"}.
 * Lives in the test sources: the production jar carries neither the sandboxes nor this class.
 */
public final class DemoApplication {

    public static final String STORE_CODE = "tienda-demo";
    public static final String JS_LOGIN = "demo-login";
    public static final String JS_TOKEN = "demo-api-token";
    public static final String JS_HOOKS_TOKEN = "demo-hooks-token";
    public static final String CB_EMAIL = "demo@tienda-demo.com.ar";
    public static final String CB_KEY = "demo-api-key";
    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "demo";
    /** The seller: Responsable Inscripto, CUIT 30-70000000-8 (valid check digit). */
    public static final String SELLER_CUIT = "30700000008";
    /** A buyer that is Responsable Inscripto, CUIT 30-71234567-1 (valid check digit). */
    public static final String BUYER_RI_CUIT = "30712345671";

    /** Where the demo runs. */
    public record Settings(int jumpsellerPort, int contabiliumPort, int serverPort, Path dataDir, int smtpPort) {

        /** Any free port for the SMTP catcher. */
        public Settings(int jumpsellerPort, int contabiliumPort, int serverPort, Path dataDir) {
            this(jumpsellerPort, contabiliumPort, serverPort, dataDir, 0);
        }

        public static Settings fromSystemProperties() {
            return new Settings(Integer.getInteger("demo.jumpseller.port", 8091),
                    Integer.getInteger("demo.contabilium.port", 8092),
                    Integer.getInteger("demo.server.port", 8080),
                    Path.of(System.getProperty("demo.data-dir", "data-demo")),
                    Integer.getInteger("demo.smtp.port", 8025));
        }
    }

    /** A running demo: both sandboxes, the connector and the link between the demo store and account. */
    public record Demo(JumpsellerSandbox jumpseller, ContabiliumSandbox contabilium, MailCatcher mail,
            ConfigurableApplicationContext connector, URI adminUrl, long linkId) implements AutoCloseable {

        @Override
        public void close() {
            connector.close();
            jumpseller.close();
            contabilium.close();
            mail.close();
        }
    }

    private DemoApplication() {
    }

    public static void main(String[] args) {
        Demo demo = start(Settings.fromSystemProperties());
        System.out.println(banner(demo));
        // Ctrl+C, or a TERM from whatever started the demo, is how a demo ends: close everything, then
        // exit 0, so `./mvnw spring-boot:test-run` reports success instead of "exit code 143".
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            demo.close();
            Runtime.getRuntime().halt(0);
        }, "demo-stop"));
    }

    public static Demo start(Settings settings) {
        JumpsellerSandbox jumpseller = JumpsellerSandbox.start(settings.jumpsellerPort());
        ContabiliumSandbox contabilium = ContabiliumSandbox.start(settings.contabiliumPort());
        MailCatcher mail = MailCatcher.start(settings.smtpPort() == 0 ? freePort() : settings.smtpPort(),
                settings.dataDir().resolve("mail"));
        try {
            seedJumpseller(jumpseller);
            seedContabilium(contabilium);
            int port = settings.serverPort() == 0 ? freePort() : settings.serverPort();
            URI adminUrl = URI.create("http://127.0.0.1:" + port);
            ConfigurableApplicationContext connector = startConnector(settings, jumpseller, contabilium, mail, port);
            try {
                long linkId = createLink(adminUrl);
                return new Demo(jumpseller, contabilium, mail, connector, adminUrl, linkId);
            } catch (RuntimeException e) {
                connector.close();
                throw e;
            }
        } catch (RuntimeException e) {
            jumpseller.close();
            contabilium.close();
            mail.close();
            throw e;
        }
    }

    // ---- seeds -----------------------------------------------------------------------------------

    /** SKU, name, final price (IVA included), IVA rate. The same codes exist in both systems. */
    private record Item(String sku, String name, String price, String iva) {
    }

    private static final List<Item> CATALOGUE = List.of(
            new Item("MATE-CAL", "Mate de calabaza", "8500", "21"),
            new Item("BOMB-ALP", "Bombilla de alpaca", "6200", "21"),
            new Item("YERBA-1K", "Yerba mate 1 kg", "4300", "10.5"),
            new Item("TERMO-1L", "Termo acero 1 L", "32000", "21"),
            new Item("LIBRO-RE", "Libro de recetas", "15000", "0"),
            new Item("TAZA-CER", "Taza de cerámica", "5400", "21"),
            new Item("DULCE-LE", "Dulce de leche 450 g", "2900", "10.5"),
            new Item("ALFAJ-12", "Caja de 12 alfajores", "9800", "21"),
            new Item("YERBERA", "Yerbera de madera", "7600", "21"));

    private static final List<Item> REMERA_VARIANTS = List.of(
            new Item("REM-S", "Remera talle S", "12100", "21"),
            new Item("REM-M", "Remera talle M", "12100", "21"),
            new Item("REM-L", "Remera talle L", "12100", "21"));

    private static void seedJumpseller(JumpsellerSandbox sandbox) {
        SandboxStore store = sandbox.addStore(STORE_CODE, "Tienda Demo", JS_LOGIN, JS_TOKEN, JS_HOOKS_TOKEN);
        for (int i = 0; i < CATALOGUE.size(); i++) {
            Item item = CATALOGUE.get(i);
            store.addProduct(item.name(), item.sku(), new BigDecimal(item.price()), 5 + i);
        }
        store.addProductWithVariants("Remera Tienda Demo", REMERA_VARIANTS.stream()
                .map(v -> new VariantSpec(v.sku(), new BigDecimal(v.price()), 4)).toList());

        // A consumidor final identified by DNI (checkout field), paid.
        store.newOrder().customer("lucia.fernandez@example.com", "Lucía Fernández").additionalField("DNI", "30111222")
                .region("Córdoba").city("Córdoba").postal("5000").address("Av. Colón", 1234)
                .line("MATE-CAL", 1, 8500).line("BOMB-ALP", 1, 6200).shipping(3500).status("paid").create();
        // A Responsable Inscripto with a valid CUIT: Factura A.
        store.newOrder().customer("compras@almacen-sur.example.com", "Almacén del Sur SRL").taxid(BUYER_RI_CUIT)
                .billingCompany("Almacén del Sur SRL", "Responsable Inscripto")
                .additionalField("Condición frente al IVA", "Responsable Inscripto")
                .region("Buenos Aires").city("La Plata").postal("1900").address("Calle 7", 850)
                .line("YERBA-1K", 10, 4300).line("TERMO-1L", 2, 32000).status("paid").create();
        // Paid, then canceled.
        store.newOrder().customer("martin.gomez@example.com", "Martín Gómez")
                .line("REM-M", 2, 12100).status("canceled").create();
        // Not paid yet.
        store.newOrder().customer("sofia.ruiz@example.com", "Sofía Ruiz")
                .line("ALFAJ-12", 1, 9800).line("DULCE-LE", 2, 2900).status("pending_payment").create();
    }

    private static void seedContabilium(ContabiliumSandbox sandbox) {
        // Real limits (25 calls per 10 s, inventory 30): the demo shows the connector pacing itself.
        SandboxAccount account = sandbox.addAccount(CB_EMAIL, CB_KEY, "RI", "Tienda Demo SA", SELLER_CUIT)
                .seedDefaults(); // point of sale 1, Contado/MercadoPago, warehouse 1 "Principal", ENVIO
        account.addDeposito(2, "Depósito Palermo");
        account.addDeposito(3, "Showroom");
        account.addPriceList(1, "Lista web");
        List<Item> all = new ArrayList<>(CATALOGUE);
        all.addAll(REMERA_VARIANTS);
        for (int i = 0; i < all.size(); i++) {
            Item item = all.get(i);
            account.addConcepto(item.sku(), item.name(), new BigDecimal(item.price()), new BigDecimal(item.iva()));
            account.setStock(1, item.sku(), 10 + i, 1);
            account.setStock(2, item.sku(), 3 + i % 4, 0);
            account.setStock(3, item.sku(), i % 2, 0);
            // The web price list is 5 % below the counter price.
            account.setListPrice(1, item.sku(), new BigDecimal(item.price()).multiply(new BigDecimal("0.95"))
                    .setScale(2, java.math.RoundingMode.HALF_UP), new BigDecimal(item.iva()));
        }
    }

    // ---- connector ---------------------------------------------------------------------------------

    private static ConfigurableApplicationContext startConnector(Settings settings, JumpsellerSandbox jumpseller,
            ContabiliumSandbox contabilium, MailCatcher mail, int port) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.mail.host", "127.0.0.1");
        properties.put("spring.mail.port", Integer.toString(mail.port()));
        properties.put("connector.receipts.from", "facturas@tienda-demo.com.ar");
        properties.put("server.port", Integer.toString(port));
        properties.put("connector.jumpseller.api-url", jumpseller.baseUrl().toString());
        properties.put("connector.contabilium.api-url", contabilium.baseUrl().toString());
        properties.put("connector.public-url", "http://127.0.0.1:" + port);
        properties.put("connector.admin.username", ADMIN_USER);
        properties.put("connector.admin.password", ADMIN_PASSWORD);
        properties.put("connector.data-dir", settings.dataDir().toAbsolutePath().toString());
        // A demo stops at once when asked: no wait for open requests, at most a few seconds for a
        // paced call under way (an interrupted invoice is recovered on the next start).
        properties.put("server.shutdown", "immediate");
        properties.put("camel.main.shutdown-timeout", "5");
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return SpringApplication.run(ConnectorApplication.class, args);
    }

    private static long createLink(URI adminUrl) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode link = json.createObjectNode().put("name", "Tienda Demo");
        link.putObject("contabilium").put("clientId", CB_EMAIL).put("clientSecret", CB_KEY);
        // hooksToken left out: the connector reads it from the store.
        link.putObject("jumpseller").put("storeCode", STORE_CODE).put("login", JS_LOGIN).put("authToken", JS_TOKEN);
        link.putObject("settings").put("puntoDeVentaId", 1).put("condicionDeVenta", "MercadoPago")
                .put("depositoId", 1).put("listaDePreciosId", 1).put("includeShippingCost", true)
                .put("shippingConceptCode", "ENVIO").put("defaultIva", 21).put("autoInvoice", true)
                .put("emailReceipts", true);
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            adminUrl.resolve("/api/links"))
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", basicAuth())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(link)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = json.readTree(response.body());
            if (response.statusCode() == 409) {
                // A second run on the same data folder: the store is still linked. Saving the link again
                // (an empty merge patch) re-checks it and registers the webhooks in the fresh sandbox.
                return relink(adminUrl, json);
            }
            if (response.statusCode() != 201) {
                throw new IllegalStateException("Linking the demo store failed: " + response.statusCode() + " "
                        + response.body());
            }
            return body.path("id").asLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long relink(URI adminUrl, ObjectMapper json) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        JsonNode links = json.readTree(http.send(HttpRequest.newBuilder(adminUrl.resolve("/api/links"))
                .header("Authorization", basicAuth()).build(), HttpResponse.BodyHandlers.ofString()).body());
        for (JsonNode existing : links) {
            if (STORE_CODE.equals(existing.path("jumpseller").path("storeCode").asText())) {
                long id = existing.path("id").asLong();
                HttpResponse<String> patched = http.send(HttpRequest.newBuilder(adminUrl.resolve("/api/links/" + id))
                        .timeout(Duration.ofSeconds(60))
                        .header("Authorization", basicAuth())
                        .header("Content-Type", "application/merge-patch+json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString("{}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (patched.statusCode() != 200) {
                    throw new IllegalStateException("Re-checking the demo link failed: " + patched.statusCode() + " "
                            + patched.body());
                }
                return id;
            }
        }
        throw new IllegalStateException("The demo store is linked but its link is not listed");
    }

    public static String basicAuth() {
        return "Basic " + Base64.getEncoder().encodeToString((ADMIN_USER + ":" + ADMIN_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String banner(Demo demo) {
        String admin = demo.adminUrl().toString();
        String auth = ADMIN_USER + ":" + ADMIN_PASSWORD;
        return String.join(System.lineSeparator(),
                "",
                "==================================================================================",
                " Jumpseller <-> Contabilium connector: DEMO MODE (sandboxes, no real accounts)",
                "==================================================================================",
                " Admin API        " + admin + "/api/links   (HTTP Basic " + auth + ")",
                " API docs         " + admin + "/v3/api-docs   (OpenAPI of the admin API)",
                " Health           " + admin + "/actuator/health",
                " Hawtio           " + admin + "/actuator/hawtio   (routes: stop, start, statistics; login " + auth + ")",
                " Jolokia          " + admin + "/actuator/jolokia   (JMX over HTTP, HTTP Basic " + auth + ")",
                " Demo link        id " + demo.linkId() + ": store '" + STORE_CODE + "' <-> Contabilium " + CB_EMAIL,
                " Jumpseller sbox  " + demo.jumpseller().baseUrl() + "   (Basic " + JS_LOGIN + ":" + JS_TOKEN
                        + ", hooks token " + JS_HOOKS_TOKEN + ")",
                " Contabilium sbox " + demo.contabilium().baseUrl() + "   (client_id " + CB_EMAIL + ", key " + CB_KEY
                        + "; real limits 25/10 s)",
                " SMTP catcher     127.0.0.1:" + demo.mail().port() + "   receipts land as .eml files in "
                        + demo.mail().folder().toAbsolutePath(),
                " Console          " + admin + "/console   (login " + auth + ")",
                " Seeded           10 products (one with variants REM-S/M/L), ENVIO, 3 warehouses, price list 1,",
                "                  4 orders: paid CF with DNI, paid Responsable Inscripto (CUIT 30-71234567-1),",
                "                  canceled, pending. They predate the link: invoice them with a bulk run.",
                "",
                " Try:",
                "   curl -u " + auth + " " + admin + "/api/links",
                "   curl -u " + auth + " " + admin + "/api/links/" + demo.linkId(),
                "   curl -u " + auth + " -X PATCH -H 'Content-Type: application/merge-patch+json' \\",
                "        -d '{\"settings\":{\"depositoId\":99}}' " + admin + "/api/links/" + demo.linkId()
                        + "    # 422 naming settings.depositoId",
                "   curl -u " + JS_LOGIN + ":" + JS_TOKEN + " " + demo.jumpseller().baseUrl() + "/hooks.json"
                        + "    # the webhooks the link registered",
                "",
                " Data under " + demo.connector().getEnvironment().getProperty("connector.data-dir")
                        + " (delete it to start afresh). Stop with Ctrl+C.",
                "==================================================================================",
                "");
    }
}
