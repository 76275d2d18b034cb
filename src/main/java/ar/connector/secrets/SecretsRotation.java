package ar.connector.secrets;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * At start, rewrites every stored secret that is not in the current format under the current key:
 * after {@code connector.secrets.previous-key} was set to the old key and {@code connector.secrets.key}
 * to a new one, and once after the upgrade that bound each value to its row and column (values of
 * the earlier v1 format are read one last time and written as v2). Runs in one transaction: either
 * every link moves or none does.
 */
@Component
public class SecretsRotation implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(SecretsRotation.class);
    public static final List<String> SECRET_COLUMNS =
            List.of("contabilium_client_secret", "jumpseller_auth_token", "jumpseller_hooks_token");

    private final JdbcTemplate jdbc;
    private final SecretCipher cipher;
    private final TransactionTemplate tx;

    // Depends on Flyway having created the table: the Flyway initializer bean is passed in to order them.
    public SecretsRotation(JdbcTemplate jdbc, SecretCipher cipher, TransactionTemplate tx,
            org.springframework.boot.autoconfigure.flyway.FlywayMigrationInitializer flywayInitializer) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.tx = tx;
    }

    @Override
    public void afterPropertiesSet() {
        Integer rewritten = tx.execute(status -> rotate());
        if (rewritten != null && rewritten > 0) {
            log.info("Re-encrypted {} stored secret(s) under the current connector.secrets.key", rewritten);
        }
    }

    private int rotate() {
        int rewritten = 0;
        List<Map<String, Object>> rows = jdbc.queryForList(
                "select id, " + String.join(", ", SECRET_COLUMNS) + " from link");
        for (Map<String, Object> row : rows) {
            for (String column : SECRET_COLUMNS) {
                String stored = (String) row.get(column);
                if (cipher.needsReencryption(stored)) {
                    SecretCipher.Place place = new SecretCipher.Place("link", ((Number) row.get("id")).longValue(), column);
                    String reencrypted = cipher.encrypt(cipher.decryptAnyFormat(stored, place), place);
                    jdbc.update("update link set " + column + " = ? where id = ?", reencrypted, row.get("id"));
                    rewritten++;
                }
            }
        }
        return rewritten;
    }
}
