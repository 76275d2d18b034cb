package ar.connector.documents;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import ar.connector.config.ConnectorProperties;
import ar.connector.invoicing.DocumentSlot;
import ar.connector.secrets.SecretKeys;
import ar.connector.testsupport.TestConnector;

/** Links already e-mailed to buyers survive a rotation of connector.secrets.key while previous-key is set. */
class DocumentLinkSigningTest {

    static final String OLD_KEY = "MtcyH9szXvld4ZR3Kx0OvnzqF/gBqmzQaYcxvECE6Ho=";
    static final String NEW_KEY = "q2Qe0S3o4tWbI5m1cUz8sJx7Vh6Lr9Ny0Kp3Df2Ga1E=";

    @Test
    void aLinkSignedBeforeARotationWorksWhilePreviousKeyIsSet() {
        String emailed = links(OLD_KEY, null).token(7, 1001, DocumentSlot.INVOICE);

        DocumentLinks rotating = links(NEW_KEY, OLD_KEY);
        assertThat(rotating.verify(emailed)).contains(new DocumentLinks.Target(7, 1001, DocumentSlot.INVOICE));
        String fresh = rotating.token(7, 1001, DocumentSlot.INVOICE);
        assertThat(fresh).as("new links are signed with the new key").isNotEqualTo(emailed);
        assertThat(rotating.verify(fresh)).isPresent();

        String otherOrder = emailed.replaceFirst("-1001-", "-1002-");
        assertThat(rotating.verify(otherOrder)).isEmpty();
        assertThat(links(NEW_KEY, null).verify(emailed)).as("once the rotation is over").isEmpty();
    }

    private static DocumentLinks links(String key, String previous) {
        ConnectorProperties properties = previous == null
                ? TestConnector.properties("secrets.key", key)
                : TestConnector.properties("secrets.key", key, "secrets.previous-key", previous);
        return new DocumentLinks(properties, new SecretKeys(properties, new MockEnvironment()));
    }
}
