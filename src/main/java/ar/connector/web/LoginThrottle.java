package ar.connector.web;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import ar.connector.config.ConnectorProperties;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

/**
 * Failed logins per client address and per user name (known or not, so the answer tells nothing
 * about which names exist). Each has a budget of failures per window, restored whole when the window
 * has passed; once one
 * is spent, every attempt from that address or for that name is refused (429) before its password
 * is even checked, until the budget refills. Buckets live in memory, per instance, in caches bounded
 * in size, so a flood of made-up names or addresses cannot grow them without limit.
 */
@Component
public class LoginThrottle {

    private static final int MAX_TRACKED = 100_000;

    private final Cache<String, Bucket> byAddress;
    private final Cache<String, Bucket> byUser;
    private final int perAddress;
    private final int perUser;
    private final Duration window;

    public LoginThrottle(ConnectorProperties properties) {
        ConnectorProperties.Security security = properties.security();
        this.perAddress = security.loginFailuresPerAddress();
        this.perUser = security.loginFailuresPerUser();
        this.window = security.loginFailureWindow();
        this.byAddress = Caffeine.newBuilder().maximumSize(MAX_TRACKED).expireAfterAccess(window.multipliedBy(2)).build();
        this.byUser = Caffeine.newBuilder().maximumSize(MAX_TRACKED).expireAfterAccess(window.multipliedBy(2)).build();
    }

    /** How long this address or user name must wait before trying again, if its failures are spent. */
    public Optional<Duration> refusal(String address, String user) {
        Duration wait = max(waitOf(byAddress.getIfPresent(address)), waitOf(byUser.getIfPresent(userKey(user))));
        return wait.isZero() ? Optional.empty() : Optional.of(wait);
    }

    public void failed(String address, String user) {
        byAddress.get(address, key -> bucket(perAddress)).tryConsume(1);
        byUser.get(userKey(user), key -> bucket(perUser)).tryConsume(1);
    }

    private Bucket bucket(int failures) {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(failures).refillIntervally(failures, window).build())
                .build();
    }

    private static Duration waitOf(Bucket bucket) {
        if (bucket == null) {
            return Duration.ZERO;
        }
        long nanos = bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
        return Duration.ofNanos(nanos);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static String userKey(String user) {
        return user == null ? "" : user.toLowerCase(Locale.ROOT);
    }
}
