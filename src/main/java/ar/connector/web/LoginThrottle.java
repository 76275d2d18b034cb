package ar.connector.web;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import org.springframework.stereotype.Component;

import ar.connector.config.ConnectorProperties;

/**
 * Failed logins per client address and per user name (known or not, so the answer tells nothing
 * about which names exist). Each has a budget of failures per window; once one is spent, every
 * attempt from that address or for that name is refused (429) before its password is even checked,
 * until the window has passed.
 */
@Component
public class LoginThrottle {

    private final KeyedBudgets byAddress;
    private final KeyedBudgets byUser;

    public LoginThrottle(ConnectorProperties properties) {
        ConnectorProperties.Security security = properties.security();
        this.byAddress = new KeyedBudgets(security.loginFailuresPerAddress(), security.loginFailureWindow());
        this.byUser = new KeyedBudgets(security.loginFailuresPerUser(), security.loginFailureWindow());
    }

    /** How long this address or user name must wait before trying again, if its failures are spent. */
    public Optional<Duration> refusal(String address, String user) {
        Duration byThisAddress = byAddress.waitFor(address);
        Duration byThisName = byUser.waitFor(userKey(user));
        Duration wait = byThisAddress.compareTo(byThisName) >= 0 ? byThisAddress : byThisName;
        return wait.isZero() ? Optional.empty() : Optional.of(wait);
    }

    public void failed(String address, String user) {
        byAddress.take(address);
        byUser.take(userKey(user));
    }

    private static String userKey(String user) {
        return user == null ? "" : user.toLowerCase(Locale.ROOT);
    }
}
