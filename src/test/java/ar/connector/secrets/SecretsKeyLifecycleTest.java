package ar.connector.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import ar.connector.ConnectorApplication;
import ar.connector.links.Link;
import ar.connector.links.LinkRepository;
import ar.connector.links.LinkRequest;
import ar.connector.support.TestSandboxes;
import ar.connector.links.LinkService;

/**
 * The encryption key over the life of an installation: prod refuses to run without a configured
 * key or admin password, and a key rotation (new key + previous-key) keeps every stored link
 * readable. Each case starts the real application on a data directory of its own (H2 file database
 * and Artemis journal under it, as installed), so restarts see what earlier starts stored.
 */
class SecretsKeyLifecycleTest {

    static final String K1 = "rkIOJyjy0xVmrVY3+UThOKgkSw8hk2YKp4WmZgiarAo=";
    static final String K2 = "uu7YrIWdD/Hq7pzrjrxlT1iYlnYOZTBZO8a4gh3YkyY=";

    static final String CLIENT_SECRET = "cb-secret-rotation-3f1e9a";
    static final String AUTH_TOKEN = "js-token-rotation-77c2d0";
    static final String HOOKS_TOKEN = "js-hooks-rotation-a95b41";

    @TempDir
    Path dataDir;

    @Test
    void prodProfileRefusesToStartWithoutSecretsKey() {
        assertThatThrownBy(() -> start("--spring.profiles.active=prod", "--connector.admin.password=pw",
                "--connector.secrets.key="))
                .rootCause().hasMessageContaining("connector.secrets.key").hasMessageContaining("prod");
        assertThat(dataDir.resolve("secrets.key")).as("prod never generates a key").doesNotExist();
    }

    @Test
    void prodProfileRefusesToStartWithoutAdminPassword() {
        assertThatThrownBy(() -> start("--spring.profiles.active=prod", "--connector.secrets.key=" + K1,
                "--connector.admin.password="))
                .rootCause().hasMessageContaining("connector.admin.password").hasMessageContaining("prod");
        assertThat(dataDir.resolve("admin-password")).as("prod never generates a password").doesNotExist();
    }

    @Test
    void keyRotationKeepsStoredLinksReadable() {
        String k1Id = SecretKeys.NamedKey.parse("K1", K1).id();
        String k2Id = SecretKeys.NamedKey.parse("K2", K2).id();
        assertThat(k1Id).isNotEqualTo(k2Id);

        // 1. A link stored under K1.
        long id;
        try (ConfigurableApplicationContext app = start("--connector.secrets.key=" + K1)) {
            id = app.getBean(LinkService.class).create(new LinkRequest("Rotating store",
                    new LinkRequest.Contabilium("api@rotating.example.com", CLIENT_SECRET),
                    new LinkRequest.Jumpseller("rotating-store", "login", AUTH_TOKEN, HOOKS_TOKEN),
                    new LinkRequest.Settings(null, null, null, 1L, null, null, null, null, null, null, null))).id();
            assertThat(secretColumns(app, id)).allSatisfy((column, value) ->
                    assertThat(value).as(column).startsWith("v2:" + k1Id + ":"));
        }

        // 2. The new key alone cannot read them: the start fails, saying which key is missing.
        assertThatThrownBy(() -> start("--connector.secrets.key=" + K2))
                .rootCause()
                .hasMessageContaining(k1Id)
                .hasMessageContaining("connector.secrets.previous-key");

        // 3. New key plus the previous one: the start re-encrypts everything under K2.
        try (ConfigurableApplicationContext app = start("--connector.secrets.key=" + K2,
                "--connector.secrets.previous-key=" + K1)) {
            assertThat(secretColumns(app, id)).allSatisfy((column, value) -> {
                assertThat(value).as(column).startsWith("v2:" + k2Id + ":");
                assertThat(value).as(column).doesNotContain(CLIENT_SECRET, AUTH_TOKEN, HOOKS_TOKEN);
            });
            assertReadable(app, id);
        }

        // 4. The rotation is complete: K2 alone now reads every link, and K1 may be destroyed.
        try (ConfigurableApplicationContext app = start("--connector.secrets.key=" + K2)) {
            assertReadable(app, id);
        }
    }

    /**
     * Values stored by earlier versions (v1: bound to the key id only) are read once more at the
     * first start and rewritten bound to their row and column.
     */
    @Test
    void credentialsStoredByEarlierVersionsAreRewrittenBoundToTheirRow() throws Exception {
        long id;
        try (ConfigurableApplicationContext app = start("--connector.secrets.key=" + K1)) {
            id = app.getBean(LinkService.class).create(new LinkRequest("Upgraded store",
                    new LinkRequest.Contabilium("api@rotating.example.com", CLIENT_SECRET),
                    new LinkRequest.Jumpseller("rotating-store", "login", AUTH_TOKEN, HOOKS_TOKEN),
                    new LinkRequest.Settings(null, null, null, 1L, null, null, null, null, null, null, null))).id();
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            SecretKeys.NamedKey k1 = SecretKeys.NamedKey.parse("K1", K1);
            jdbc.update("update link set contabilium_client_secret = ?, jumpseller_auth_token = ?, "
                    + "jumpseller_hooks_token = ? where id = ?", legacyV1(k1, CLIENT_SECRET), legacyV1(k1, AUTH_TOKEN),
                    legacyV1(k1, HOOKS_TOKEN), id);
        }

        try (ConfigurableApplicationContext app = start("--connector.secrets.key=" + K1)) {
            String k1Id = SecretKeys.NamedKey.parse("K1", K1).id();
            assertThat(secretColumns(app, id)).allSatisfy((column, value) ->
                    assertThat(value).as(column).startsWith("v2:" + k1Id + ":"));
            assertReadable(app, id);
        }
    }

    /** What versions before the row binding wrote: AES-GCM with the key id as the only additional data. */
    private static String legacyV1(SecretKeys.NamedKey key, String plaintext) throws Exception {
        byte[] iv = new byte[12];
        new java.security.SecureRandom().nextBytes(iv);
        javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(javax.crypto.Cipher.ENCRYPT_MODE, key.key(), new javax.crypto.spec.GCMParameterSpec(128, iv));
        cipher.updateAAD(key.id().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        byte[] sealed = cipher.doFinal(plaintext.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        byte[] out = java.nio.ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
        return "v1:" + key.id() + ":" + java.util.Base64.getEncoder().encodeToString(out);
    }

    private static void assertReadable(ConfigurableApplicationContext app, long id) {
        Link link = app.getBean(LinkRepository.class).findById(id).orElseThrow();
        assertThat(link.getContabiliumClientSecret()).isEqualTo(CLIENT_SECRET);
        assertThat(link.getJumpsellerAuthToken()).isEqualTo(AUTH_TOKEN);
        assertThat(link.getJumpsellerHooksToken()).isEqualTo(HOOKS_TOKEN);
        assertThat(link.getSettings().getDefaultIva()).isEqualByComparingTo(BigDecimal.valueOf(21));
    }

    private static Map<String, String> secretColumns(ConfigurableApplicationContext app, long id) {
        Map<String, Object> row = app.getBean(JdbcTemplate.class).queryForMap(
                "select contabilium_client_secret, jumpseller_auth_token, jumpseller_hooks_token from link where id = ?",
                id);
        assertThat(row).hasSize(3).doesNotContainValue(null);
        Map<String, String> columns = new java.util.TreeMap<>();
        row.forEach((column, value) -> columns.put(column, (String) value));
        return columns;
    }

    /** The application as installed (no test profile), on this test's data directory. */
    private ConfigurableApplicationContext start(String... extra) {
        assertThat(Files.isDirectory(dataDir)).isTrue();
        List<String> args = new ArrayList<>(List.of(
                "--connector.data-dir=" + dataDir,
                "--server.port=0",
                "--spring.main.banner-mode=off",
                "--camel.springboot.main-run-controller=false",
                // Creating a link checks it against the accounts: the shared sandboxes stand in for them.
                "--connector.jumpseller.api-url=" + TestSandboxes.JUMPSELLER.baseUrl(),
                "--connector.contabilium.api-url=" + TestSandboxes.CONTABILIUM.baseUrl()));
        TestSandboxes.register("rotating-store", "api@rotating.example.com", CLIENT_SECRET, "login", AUTH_TOKEN,
                HOOKS_TOKEN);
        args.addAll(List.of(extra));
        // A repeated command-line option would join its values ("a,"), so add defaults only where unset.
        if (args.stream().noneMatch(arg -> arg.startsWith("--connector.admin.password="))) {
            args.add("--connector.admin.password=rotation-test-password");
        }
        return new SpringApplicationBuilder(ConnectorApplication.class).run(args.toArray(String[]::new));
    }
}
