package ar.connector.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import ar.connector.invoicing.SandboxedConnectorTest;
import ar.connector.links.LinkRepository;

/**
 * A stored credential is bound to its row and column: someone who can write the database but holds
 * no key cannot make one link use another's Contabilium key (or its Jumpseller token) by copying the
 * ciphertext across; reading the link fails instead.
 */
class SecretPlacementTest extends SandboxedConnectorTest {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    LinkRepository links;

    @Test
    void aCiphertextCopiedToAnotherRowOrColumnDoesNotDecrypt() {
        Linked a = newLink("RI", Map.of());
        Linked b = newLink("RI", Map.of());
        String secretOfA = column(a, "contabilium_client_secret");
        String secretOfB = column(b, "contabilium_client_secret");
        String tokenOfB = column(b, "jumpseller_auth_token");
        assertThat(links.findById(b.linkId()).orElseThrow().getContabiliumClientSecret())
                .isEqualTo(b.account().apiKey());
        try {
            write(b, "contabilium_client_secret", secretOfA);
            assertThatThrownBy(() -> links.findById(b.linkId()))
                    .as("A's key in B's row").hasRootCauseInstanceOf(SecretCipher.SecretUnreadableException.class);

            write(b, "contabilium_client_secret", tokenOfB);
            assertThatThrownBy(() -> links.findById(b.linkId()))
                    .as("B's Jumpseller token as B's Contabilium key")
                    .hasRootCauseInstanceOf(SecretCipher.SecretUnreadableException.class);
        } finally {
            write(b, "contabilium_client_secret", secretOfB);
        }
        assertThat(links.findById(b.linkId()).orElseThrow().getContabiliumClientSecret())
                .isEqualTo(b.account().apiKey());
        assertThat(links.findById(a.linkId()).orElseThrow().getContabiliumClientSecret())
                .isEqualTo(a.account().apiKey());
    }

    @Test
    void aChangedCredentialIsSealedAgainForItsRow() {
        Linked link = newLink("RI", Map.of());
        String before = column(link, "contabilium_client_secret");
        link.account().regenerateKey("rotated-key-" + link.linkId());

        var patched = admin("PATCH", "/api/links/" + link.linkId(),
                Map.of("contabilium", Map.of("clientSecret", "rotated-key-" + link.linkId())));

        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        String after = column(link, "contabilium_client_secret");
        assertThat(after).startsWith("v2:").isNotEqualTo(before).doesNotContain("rotated-key");
        assertThat(links.findById(link.linkId()).orElseThrow().getContabiliumClientSecret())
                .isEqualTo("rotated-key-" + link.linkId());
    }

    private String column(Linked link, String column) {
        return jdbc.queryForObject("select " + column + " from link where id = ?", String.class, link.linkId());
    }

    private void write(Linked link, String column, String value) {
        jdbc.update("update link set " + column + " = ? where id = ?", value, link.linkId());
    }
}
