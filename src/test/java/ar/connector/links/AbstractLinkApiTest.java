package ar.connector.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ar.connector.secrets.SecretCipher;
import ar.connector.support.TestSandboxes;
import ar.connector.support.ConnectorTest;
import ar.connector.support.Http;
import ar.connector.support.Http.Response;

/**
 * The links admin API end to end over HTTP, and what it leaves in the database. Runs once per
 * database (see the subclasses); every test works on store codes of its own, so tests share the
 * database (and the cached Spring context) without interfering.
 */
@ExtendWith(OutputCaptureExtension.class)
abstract class AbstractLinkApiTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    SecretCipher cipher;

    Http admin;

    @BeforeEach
    void client() {
        admin = Http.basic("http://localhost:" + port, ConnectorTest.ADMIN_USER, ConnectorTest.ADMIN_PASSWORD);
    }

    // ---------------------------------------------------------------- create / read / patch / delete

    @Test
    void createdLinkIsAnsweredWithIdTimestampsAndDefaultSettings() {
        String store = newStoreCode();
        Response created = admin.post("/api/links", linkJson(store, Secrets.random()).toString());

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode link = created.json();
        long id = link.get("id").asLong();
        assertThat(id).isPositive();
        assertThat(link.get("name").asText()).isEqualTo("Tienda " + store);
        assertThat(link.at("/contabilium/clientId").asText()).isEqualTo("api@" + store + ".example.com");
        assertThat(link.at("/jumpseller/storeCode").asText()).isEqualTo(store);
        assertThat(link.at("/jumpseller/login").asText()).isEqualTo("login-" + store);
        assertThat(link.get("active").asBoolean()).isTrue();
        assertThat(link.get("createdAt").asText()).isNotBlank();
        assertThat(link.get("updatedAt").asText()).isNotBlank();
        JsonNode settings = link.get("settings");
        assertThat(settings.get("puntoDeVentaId").asLong()).isEqualTo(3);
        assertThat(settings.get("includeShippingCost").asBoolean()).isTrue();
        assertThat(settings.get("shippingConceptCode").asText()).isEqualTo("ENVIO");
        assertThat(settings.get("defaultIva").decimalValue()).isEqualByComparingTo("21");
        assertThat(settings.get("condicionDeVenta").asText()).isEqualTo("Contado");
        assertThat(settings.get("autoInvoice").asBoolean()).isTrue();
        assertThat(settings.get("emailReceipts").asBoolean()).isTrue();
        assertThat(settings.get("depositoId").isNull()).as("no warehouse = all warehouses").isTrue();
        assertThat(settings.get("listaDePreciosId").isNull()).isTrue();

        Response read = admin.get("/api/links/" + id);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(link);

        Response list = admin.get("/api/links");
        assertThat(list.status()).isEqualTo(200);
        assertThat(idsOf(list.json())).contains(id);
    }

    @Test
    void mergePatchChangesSettingsRotatesCredentialsAndNullRemoves() {
        String store = newStoreCode();
        Secrets secrets = Secrets.random();
        long id = create(store, secrets);
        String storedTokenBefore = column("jumpseller_auth_token", id);

        // Set a warehouse, change IVA and rotate the Jumpseller token in one patch.
        String newToken = "rotated-token-" + UUID.randomUUID();
        register(store, new Secrets(secrets.clientSecret(), newToken, secrets.hooksToken()));
        Response patched = admin.mergePatch("/api/links/" + id, """
                {"settings": {"depositoId": 7, "defaultIva": 10.5},
                 "jumpseller": {"authToken": "%s"}}""".formatted(newToken));

        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        JsonNode link = patched.json();
        assertThat(link.at("/settings/depositoId").asLong()).isEqualTo(7);
        assertThat(link.at("/settings/defaultIva").decimalValue()).isEqualByComparingTo("10.5");
        // Untouched values stay.
        assertThat(link.at("/settings/puntoDeVentaId").asLong()).isEqualTo(3);
        assertThat(link.at("/jumpseller/login").asText()).isEqualTo("login-" + store);
        assertThat(link.toString()).doesNotContain(newToken, secrets.authToken());

        String storedTokenAfter = column("jumpseller_auth_token", id);
        assertThat(storedTokenAfter).isNotEqualTo(storedTokenBefore).doesNotContain(newToken);
        assertThat(open(storedTokenAfter, id, "jumpseller_auth_token")).isEqualTo(newToken);
        // The other secrets were not touched by the rotation of one.
        assertThat(open(column("contabilium_client_secret", id), id, "contabilium_client_secret")).isEqualTo(secrets.clientSecret());

        // null removes: no warehouse means stock over all warehouses; IVA falls back to its default.
        Response removed = admin.mergePatch("/api/links/" + id,
                "{\"settings\": {\"depositoId\": null, \"defaultIva\": null}}");
        assertThat(removed.status()).as(removed.toString()).isEqualTo(200);
        assertThat(removed.json().at("/settings/depositoId").isNull()).isTrue();
        assertThat(removed.json().at("/settings/defaultIva").decimalValue()).isEqualByComparingTo("21");
        assertThat(jdbc.queryForObject("select deposito_id from link where id = ?", Long.class, id)).isNull();

        // Removing the optional hooks token makes the connector read it from the store again (SPEC §3.2);
        // the required API token cannot be removed.
        Response noHooks = admin.mergePatch("/api/links/" + id, "{\"jumpseller\": {\"hooksToken\": null}}");
        assertThat(noHooks.status()).as(noHooks.toString()).isEqualTo(200);
        assertThat(open(column("jumpseller_hooks_token", id), id, "jumpseller_hooks_token"))
                .isEqualTo(TestSandboxes.JUMPSELLER.store(store).hooksToken());
        Response noToken = admin.mergePatch("/api/links/" + id, "{\"jumpseller\": {\"authToken\": null}}");
        assertProblem(noToken, 400, "jumpseller.authToken");
        assertThat(open(column("jumpseller_auth_token", id), id, "jumpseller_auth_token")).isEqualTo(newToken);

        Response read = admin.get("/api/links/" + id);
        assertThat(read.json().at("/settings/depositoId").isNull()).isTrue();
        assertThat(Instantish.of(read.json().get("updatedAt")))
                .isAfterOrEqualTo(Instantish.of(read.json().get("createdAt")));
    }

    @Test
    void invalidMergePatchIsRejectedAndChangesNothing() {
        String store = newStoreCode();
        long id = create(store, Secrets.random());
        Map<String, Object> before = jdbc.queryForMap("select * from link where id = ?", id);

        assertProblem(admin.mergePatch("/api/links/" + id, "{\"settings\": {\"defaultIva\": 19}}"),
                400, "settings.defaultIva");
        assertProblem(admin.mergePatch("/api/links/" + id, "{\"settings\": {\"puntoDeVentaId\": -1}}"),
                400, "settings.puntoDeVentaId");
        assertProblem(admin.mergePatch("/api/links/" + id, "{\"settings\": {\"colour\": \"red\"}}"),
                400, "settings.colour");
        assertProblem(admin.mergePatch("/api/links/" + id, "{\"settings\": {\"depositoId\": \"north\"}}"),
                400, "settings.depositoId");

        assertThat(jdbc.queryForMap("select * from link where id = ?", id)).isEqualTo(before);
    }

    @Test
    void unknownLinkIsNotFound() {
        assertProblem(admin.get("/api/links/987654321"), 404, null);
        assertProblem(admin.mergePatch("/api/links/987654321", "{\"name\": \"x\"}"), 404, null);
        assertProblem(admin.delete("/api/links/987654321"), 404, null);
    }

    // ---------------------------------------------------------------- one active link per store

    @Test
    void secondLinkOfSameStoreIsRejected() {
        String store = newStoreCode();
        create(store, Secrets.random());
        int rows = countRows(store);

        Response second = admin.post("/api/links", linkJson(store, Secrets.random()).toString());

        assertProblem(second, 409, null);
        assertThat(second.json().get("detail").asText()).contains(store);
        assertThat(countRows(store)).isEqualTo(rows);
    }

    @Test
    void secondLinkOfSameStoreIsRejectedEvenWhenRacing() throws Exception {
        String store = newStoreCode();
        int racers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            CountDownLatch ready = new CountDownLatch(racers);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Response>> answers = new ArrayList<>();
            Secrets secrets = Secrets.random();
            for (int i = 0; i < racers; i++) {
                String body = linkJson(store, secrets).put("name", "Racer " + i).toString();
                answers.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return admin.post("/api/links", body);
                }));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            go.countDown();

            List<Response> responses = new ArrayList<>();
            for (Future<Response> answer : answers) {
                responses.add(answer.get(60, TimeUnit.SECONDS));
            }
            assertThat(responses).as(responses.toString()).filteredOn(r -> r.status() == 201).hasSize(1);
            assertThat(responses).as(responses.toString()).filteredOn(r -> r.status() == 409).hasSize(racers - 1);
            responses.stream().filter(r -> r.status() == 409)
                    .forEach(r -> assertThat(r.contentType()).startsWith("application/problem+json"));
        } finally {
            pool.shutdownNow();
        }
        assertThat(countRows(store)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from link where active_store_code = ?", Integer.class, store))
                .isEqualTo(1);
    }

    @Test
    void unlinkedStoreCanBeLinkedAgainAndOldLinkStaysReadable() {
        String store = newStoreCode();
        long first = create(store, Secrets.random());

        Response unlinked = admin.delete("/api/links/" + first);
        assertThat(unlinked.status()).as(unlinked.toString()).isEqualTo(204);

        Response old = admin.get("/api/links/" + first);
        assertThat(old.status()).isEqualTo(200);
        assertThat(old.json().get("active").asBoolean()).isFalse();
        assertThat(old.json().get("unlinkedAt").asText()).isNotBlank();
        assertThat(old.json().at("/jumpseller/storeCode").asText()).isEqualTo(store);
        assertThat(idsOf(admin.get("/api/links").json())).doesNotContain(first);
        assertThat(idsOf(admin.get("/api/links?includeUnlinked=true").json())).contains(first);
        // An unlinked link is history: it can be neither patched nor unlinked again.
        assertProblem(admin.mergePatch("/api/links/" + first, "{\"name\": \"again\"}"), 404, null);
        assertProblem(admin.delete("/api/links/" + first), 404, null);

        Response relinked = admin.post("/api/links", linkJson(store, Secrets.random()).toString());
        assertThat(relinked.status()).as(relinked.toString()).isEqualTo(201);
        long second = relinked.json().get("id").asLong();
        assertThat(second).isNotEqualTo(first);
        assertThat(relinked.json().get("active").asBoolean()).isTrue();

        assertThat(admin.get("/api/links/" + first).json().get("active").asBoolean()).isFalse();
        assertThat(idsOf(admin.get("/api/links").json())).contains(second).doesNotContain(first);
        assertThat(idsOf(admin.get("/api/links?includeUnlinked=true").json())).contains(first, second);
        assertThat(countRows(store)).isEqualTo(2);
        // And the relinked store is again exclusive.
        assertProblem(admin.post("/api/links", linkJson(store, Secrets.random()).toString()), 409, null);
    }

    // ---------------------------------------------------------------- validation

    static Stream<Arguments> invalidLinks() {
        return Stream.of(
                invalid("missing name", json -> json.remove("name"), "name"),
                invalid("blank name", json -> json.put("name", "  "), "name"),
                invalid("missing Contabilium credentials", json -> json.remove("contabilium"), "contabilium"),
                invalid("missing client secret", json -> obj(json, "contabilium").remove("clientSecret"),
                        "contabilium.clientSecret"),
                invalid("missing auth token", json -> obj(json, "jumpseller").remove("authToken"),
                        "jumpseller.authToken"),
                invalid("missing settings", json -> json.remove("settings"), "settings"),
                invalid("missing point of sale", json -> obj(json, "settings").remove("puntoDeVentaId"),
                        "settings.puntoDeVentaId"),
                invalid("IVA rate 19 is not Argentine", json -> obj(json, "settings").put("defaultIva", 19),
                        "settings.defaultIva"),
                invalid("negative point of sale", json -> obj(json, "settings").put("puntoDeVentaId", -5),
                        "settings.puntoDeVentaId"),
                invalid("negative warehouse", json -> obj(json, "settings").put("depositoId", -1),
                        "settings.depositoId"),
                invalid("zero price list", json -> obj(json, "settings").put("listaDePreciosId", 0),
                        "settings.listaDePreciosId"),
                invalid("bad API e-mail", json -> obj(json, "contabilium").put("clientId", "not-an-email"),
                        "contabilium.clientId"),
                invalid("bad alert e-mail", json -> obj(json, "settings").put("alertEmail", "nobody at all"),
                        "settings.alertEmail"),
                invalid("bad store code", json -> obj(json, "jumpseller").put("storeCode", "my store!"),
                        "jumpseller.storeCode"),
                invalid("unknown settings field", json -> obj(json, "settings").put("colour", "red"),
                        "settings.colour"),
                invalid("unknown top-level field", json -> json.put("owner", "me"), "owner"),
                invalid("string for a number", json -> obj(json, "settings").put("puntoDeVentaId", "three"),
                        "settings.puntoDeVentaId"),
                invalid("string for a boolean", json -> obj(json, "settings").put("autoInvoice", "maybe"),
                        "settings.autoInvoice"),
                invalid("number for an object", json -> json.put("jumpseller", 5), "jumpseller"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidLinks")
    void invalidLinkIsRejectedNamingTheFieldAndNothingIsStored(String description, Consumer<ObjectNode> breakIt,
            String field) {
        String store = newStoreCode();
        ObjectNode json = linkJson(store, Secrets.random());
        breakIt.accept(json);
        int before = countAllRows();

        Response answer = admin.post("/api/links", json.toString());

        assertProblem(answer, 400, field);
        assertThat(countAllRows()).isEqualTo(before);
        assertThat(countRows(store)).isZero();
    }

    @Test
    void everyInvalidFieldIsNamedAtOnce() {
        ObjectNode json = linkJson(newStoreCode(), Secrets.random());
        obj(json, "settings").put("defaultIva", 19).put("puntoDeVentaId", -1).remove("condicionDeVenta");
        obj(json, "contabilium").put("clientId", "nope");
        int before = countAllRows();

        Response answer = admin.post("/api/links", json.toString());

        assertProblem(answer, 400, "settings.defaultIva");
        assertThat(fieldsOf(answer.json()))
                .contains("settings.defaultIva", "settings.puntoDeVentaId", "contabilium.clientId");
        assertThat(countAllRows()).isEqualTo(before);
    }

    // ---------------------------------------------------------------- secrets

    @Test
    void storedSecretsAreEncryptedNotPlaintext() {
        Secrets secrets = Secrets.random();
        long id = create(newStoreCode(), secrets);

        Map<String, Object> row = jdbc.queryForMap(
                "select contabilium_client_secret, jumpseller_auth_token, jumpseller_hooks_token from link where id = ?",
                id);
        assertThat(row).hasSize(3);
        String keyId = "v2:" + cipher.encrypt("x", new SecretCipher.Place("link", 0, "x")).split(":")[1] + ":";
        row.forEach((column, value) -> {
            assertThat(value).as(column).isInstanceOf(String.class);
            String stored = (String) value;
            assertThat(stored).as(column).startsWith(keyId);
            for (String secret : secrets.all()) {
                assertThat(stored).as(column).doesNotContain(secret);
            }
        });
        assertThat(open((String) row.get("contabilium_client_secret"), id, "contabilium_client_secret")).isEqualTo(secrets.clientSecret());
        assertThat(open((String) row.get("jumpseller_auth_token"), id, "jumpseller_auth_token")).isEqualTo(secrets.authToken());
        assertThat(open((String) row.get("jumpseller_hooks_token"), id, "jumpseller_hooks_token")).isEqualTo(secrets.hooksToken());
        // No other column carries a secret either.
        Map<String, Object> whole = jdbc.queryForMap("select * from link where id = ?", id);
        for (String secret : secrets.all()) {
            assertThat(whole.values().toString()).doesNotContain(secret);
        }
    }

    @Test
    void secretsNeverAppearInAnswersOrLogs(CapturedOutput output) {
        LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
        // Even an operator debugging the web layer and the connector must not see credentials.
        logging.setLogLevel("org.springframework.web", LogLevel.DEBUG);
        logging.setLogLevel("ar.connector", LogLevel.DEBUG);
        try {
            Secrets secrets = Secrets.random();
            Secrets rotated = Secrets.random();
            String store = newStoreCode();
            List<Response> answers = new ArrayList<>();

            Response created = admin.post("/api/links", linkJson(store, secrets).toString());
            assertThat(created.status()).isEqualTo(201);
            long id = created.json().get("id").asLong();
            answers.add(created);
            answers.add(admin.get("/api/links"));
            answers.add(admin.get("/api/links?includeUnlinked=true"));
            answers.add(admin.get("/api/links/" + id));
            register(store, rotated);
            Response patched = admin.mergePatch("/api/links/" + id, """
                    {"contabilium": {"clientSecret": "%s"},
                     "jumpseller": {"authToken": "%s", "hooksToken": "%s"}}"""
                    .formatted(rotated.clientSecret(), rotated.authToken(), rotated.hooksToken()));
            assertThat(patched.status()).isEqualTo(200);
            answers.add(patched);
            // Rejected requests carrying secrets: conflict, validation error, unknown field, bad patch.
            answers.add(admin.post("/api/links", linkJson(store, secrets).toString()));
            ObjectNode invalid = linkJson(newStoreCode(), secrets);
            obj(invalid, "settings").put("defaultIva", 19);
            answers.add(admin.post("/api/links", invalid.toString()));
            ObjectNode unknown = linkJson(newStoreCode(), secrets);
            unknown.put("secretNote", secrets.clientSecret());
            answers.add(admin.post("/api/links", unknown.toString()));
            answers.add(admin.mergePatch("/api/links/" + id,
                    "{\"jumpseller\": {\"authToken\": \"%s\", \"login\": {\"first\": 1}}}".formatted(rotated.authToken())));
            answers.add(admin.delete("/api/links/" + id));
            answers.add(admin.get("/api/links/" + id));

            assertThat(answers).extracting(Response::status)
                    .containsExactly(201, 200, 200, 200, 200, 409, 400, 400, 400, 204, 200);
            for (Response answer : answers) {
                for (String secret : concat(secrets.all(), rotated.all())) {
                    assertThat(answer.body()).as(answer.toString()).doesNotContain(secret);
                }
            }
            assertThat(output.getAll()).as("the log mentions the link").contains(store);
            for (String secret : concat(secrets.all(), rotated.all())) {
                assertThat(output.getAll()).doesNotContain(secret);
            }
        } finally {
            logging.setLogLevel("org.springframework.web", null);
            logging.setLogLevel("ar.connector", null);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Store codes unique per test and per run, so tests never see each other's links. */
    static String newStoreCode() {
        return "store-" + UUID.randomUUID().toString().substring(0, 13);
    }

    static ObjectNode linkJson(String store, Secrets secrets) {
        register(store, secrets);
        ObjectNode json = Http.JSON.createObjectNode();
        json.put("name", "Tienda " + store);
        json.putObject("contabilium")
                .put("clientId", "api@" + store + ".example.com")
                .put("clientSecret", secrets.clientSecret());
        json.putObject("jumpseller")
                .put("storeCode", store)
                .put("login", "login-" + store)
                .put("authToken", secrets.authToken())
                .put("hooksToken", secrets.hooksToken());
        json.putObject("settings").put("puntoDeVentaId", 3);
        return json;
    }

    /** Makes these the credentials the sandboxes accept for the store, as the merchant's accounts would. */
    static void register(String store, Secrets secrets) {
        TestSandboxes.register(store, "api@" + store + ".example.com", secrets.clientSecret(), "login-" + store,
                secrets.authToken(), secrets.hooksToken());
    }

    long create(String store, Secrets secrets) {
        Response created = admin.post("/api/links", linkJson(store, secrets).toString());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    String column(String column, long id) {
        return jdbc.queryForObject("select " + column + " from link where id = ?", String.class, id);
    }

    int countRows(String store) {
        return jdbc.queryForObject("select count(*) from link where jumpseller_store_code = ?", Integer.class, store);
    }

    int countAllRows() {
        return jdbc.queryForObject("select count(*) from link", Integer.class);
    }

    static void assertProblem(Response answer, int status, String field) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.contentType()).as(answer.toString()).startsWith("application/problem+json");
        JsonNode problem = answer.json();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.path("detail").asText()).as(answer.toString()).isNotBlank();
        if (field != null) {
            assertThat(problem.path("detail").asText()).as(answer.toString()).contains(field);
            assertThat(fieldsOf(problem)).as(answer.toString()).contains(field);
            for (JsonNode error : problem.get("errors")) {
                assertThat(error.path("message").asText()).as(answer.toString()).isNotBlank();
            }
        }
    }

    static List<String> fieldsOf(JsonNode problem) {
        List<String> fields = new ArrayList<>();
        problem.path("errors").forEach(error -> fields.add(error.path("field").asText()));
        return fields;
    }

    static List<Long> idsOf(JsonNode list) {
        assertThat(list.isArray()).as(list.toString()).isTrue();
        List<Long> ids = new ArrayList<>();
        list.forEach(link -> ids.add(link.get("id").asLong()));
        return ids;
    }

    static ObjectNode obj(ObjectNode json, String field) {
        return (ObjectNode) json.get(field);
    }

    static Arguments invalid(String description, Consumer<ObjectNode> breakIt, String field) {
        return Arguments.of(description, breakIt, field);
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The three credentials of a link, unique per call. */
    record Secrets(String clientSecret, String authToken, String hooksToken) {
        static Secrets random() {
            return new Secrets("cb-secret-" + UUID.randomUUID(), "js-token-" + UUID.randomUUID(),
                    "js-hooks-" + UUID.randomUUID());
        }

        List<String> all() {
            return List.of(clientSecret, authToken, hooksToken);
        }
    }

    /** ISO-8601 timestamps of answers, comparable. */
    static final class Instantish {
        static java.time.Instant of(JsonNode value) {
            return java.time.Instant.parse(value.asText());
        }
    }

    /** A stored credential opened for its row and column (it opens nowhere else). */
    String open(String stored, long id, String column) {
        return cipher.decrypt(stored, new SecretCipher.Place("link", id, column));
    }
}
