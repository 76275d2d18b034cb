package ar.connector.support;

import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

import ar.connector.sandbox.contabilium.ContabiliumSandbox;
import ar.connector.sandbox.contabilium.SandboxAccount;
import ar.connector.sandbox.jumpseller.JumpsellerSandbox;
import ar.connector.sandbox.jumpseller.SandboxStore;

/**
 * The two sandboxes (and the SMTP server, {@link TestMail}) shared by every {@link ConnectorTest}
 * context of this JVM, and the accounts
 * behind the links tests create: {@link #register} makes the given credentials the valid ones, so
 * the connector's live check of a link (SPEC §2) passes for them, and fails for anything else.
 */
public final class TestSandboxes implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    public static final JumpsellerSandbox JUMPSELLER = JumpsellerSandbox.start();
    public static final ContabiliumSandbox CONTABILIUM = ContabiliumSandbox.start();
    private static final Map<String, SandboxStore> STORES = new ConcurrentHashMap<>();

    static {
        CONTABILIUM.unlimited();
        JUMPSELLER.setRateLimits(0, 0);
        TestMail.to("nobody@example.com"); // starts the shared SMTP server with the sandboxes
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestPropertyValues.of(
                "connector.jumpseller.api-url=" + JUMPSELLER.baseUrl(),
                "connector.contabilium.api-url=" + CONTABILIUM.baseUrl(),
                "spring.mail.host=" + TestMail.HOST,
                "spring.mail.port=" + TestMail.PORT).applyTo(context);
    }

    /**
     * Makes these the valid credentials of the store and of its Contabilium account
     * ({@code clientId}), creating both on first use. The account has points of sale 1 and 3,
     * warehouses 1 to 9, price lists 1 to 3, the usual sale conditions and the ENVIO concept.
     */
    public static synchronized void register(String storeCode, String clientId, String clientSecret, String login,
            String authToken, String hooksToken) {
        SandboxAccount account;
        try {
            account = CONTABILIUM.account(clientId);
            account.regenerateKey(clientSecret);
        } catch (IllegalArgumentException absent) {
            account = CONTABILIUM.addAccount(clientId, clientSecret, "RI", "Cuenta " + storeCode, "30712345671");
            account.seedDefaults();
            account.addPuntoDeVenta(3, 3, "Web 3");
            for (long deposito = 2; deposito <= 9; deposito++) {
                account.addDeposito(deposito, "Bodega " + deposito);
            }
            for (long list = 1; list <= 3; list++) {
                account.addPriceList(list, "Lista " + list);
            }
            account.addConcepto("PRODUCTO-1", "Producto de prueba", new BigDecimal("1210"), new BigDecimal("21"));
        }
        SandboxStore store = STORES.get(storeCode);
        if (store == null) {
            store = JUMPSELLER.addStore(storeCode, "Tienda " + storeCode, login, authToken,
                    hooksToken == null ? "hooks-" + storeCode : hooksToken);
            STORES.put(storeCode, store);
        } else {
            store.setCredentials(login, authToken);
        }
    }
}
