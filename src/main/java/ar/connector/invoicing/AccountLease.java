package ar.connector.invoicing;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import ar.connector.config.ConnectorProperties;
import jakarta.annotation.PreDestroy;

/**
 * One invoice at a time per Contabilium account, across threads and replicas: a lease on the
 * account's row of {@code contabilium_account}. It is taken with a conditional UPDATE (free, or
 * expired by the database's clock, so replicas' clocks do not matter), renewed every third of its
 * time-to-live while held, and given back at the end. No connection is held while it is: a replica
 * that dies simply stops renewing, and the account is free again after the time-to-live.
 *
 * <p>Fencing: a holder that stalled past its lease (a long GC pause, a lost database) must not act
 * on it. Before each step that commits a remote side effect's phase (CREATING, EMITTING), the
 * invoicer calls {@link #checkHeld()} inside that step's transaction; it locks the row only if the
 * lease is still this holder's and unexpired, so a new holder cannot take it until that step commits.
 */
@Component
public class AccountLease {

    private static final Logger log = LoggerFactory.getLogger(AccountLease.class);

    /** The lease this thread holds, if any (a turn runs on one thread from take to end). */
    private static final ThreadLocal<Held> CURRENT = new ThreadLocal<>();

    private final JdbcTemplate jdbc;
    private final long ttlMillis;
    private final ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "account-lease-renewer");
        t.setDaemon(true);
        return t;
    });

    @org.springframework.beans.factory.annotation.Autowired
    public AccountLease(JdbcTemplate jdbc, ConnectorProperties properties) {
        this(jdbc, properties.invoicing().leaseTtl());
    }

    AccountLease(JdbcTemplate jdbc, Duration ttl) {
        this.jdbc = jdbc;
        this.ttlMillis = ttl.toMillis();
    }

    /** A lease held: give it back with {@link #release(Held)}. */
    public static final class Held {
        private final String clientId;
        private final String token;
        private final AtomicBoolean lost = new AtomicBoolean();
        private volatile ScheduledFuture<?> renewal;

        Held(String clientId, String token) {
            this.clientId = clientId;
            this.token = token;
        }

        public String clientId() {
            return clientId;
        }

        /** True once a renewal found the lease taken over or gone. */
        public boolean lost() {
            return lost.get();
        }
    }

    /** Thrown when a holder finds its lease expired or taken: the step must not go on. */
    public static class LostException extends IllegalStateException {
        public LostException(String clientId) {
            super("The lease on Contabilium account " + clientId + " expired or was taken over");
        }
    }

    /** Thrown by {@link #withLease} when the account stayed busy for the whole wait. */
    public static class BusyException extends IllegalStateException {
        public BusyException(String clientId) {
            super("Contabilium account " + clientId + " is busy invoicing");
        }
    }

    /** Takes the account's lease if it is free or expired; binds it to this thread. */
    public Optional<Held> tryAcquire(String clientId) {
        String key = key(clientId);
        ensureRow(key);
        String token = UUID.randomUUID().toString();
        int taken = jdbc.update("update contabilium_account set lease_token = ?, lease_expires_at = "
                + expiry() + " where client_id = ? and (lease_token is null or lease_expires_at is null"
                + " or lease_expires_at < current_timestamp)", token, ttlMillis, key);
        if (taken != 1) {
            return Optional.empty();
        }
        Held held = new Held(key, token);
        long every = Math.max(1, ttlMillis / 3);
        held.renewal = renewer.scheduleWithFixedDelay(() -> renew(held), every, every, TimeUnit.MILLISECONDS);
        CURRENT.set(held);
        return Optional.of(held);
    }

    /** Gives the lease back (if it is still this holder's) and unbinds it from this thread. */
    public void release(Held held) {
        if (held == null) {
            return;
        }
        ScheduledFuture<?> renewal = held.renewal;
        if (renewal != null) {
            renewal.cancel(false);
        }
        if (CURRENT.get() == held) {
            CURRENT.remove();
        }
        try {
            jdbc.update("update contabilium_account set lease_token = null, lease_expires_at = null"
                    + " where client_id = ? and lease_token = ?", held.clientId, held.token);
        } catch (RuntimeException e) {
            // It expires by itself after the time-to-live.
            log.warn("Could not give back the lease on account {}: {}", held.clientId, e.toString());
        }
    }

    /**
     * Inside the transaction that commits a phase guarding a remote side effect: fails unless this
     * thread's lease is still held and unexpired, and locks the account's row until that transaction
     * ends, so nobody takes the lease over in between. Without a lease on this thread (a direct call
     * outside a turn) there is nothing to check.
     */
    public void checkHeld() {
        Held held = CURRENT.get();
        if (held == null) {
            return;
        }
        boolean valid = !held.lost() && !jdbc.queryForList("select lease_token from contabilium_account"
                + " where client_id = ? and lease_token = ? and lease_expires_at > current_timestamp for update",
                String.class, held.clientId, held.token).isEmpty();
        if (!valid) {
            held.lost.set(true);
            throw new LostException(held.clientId);
        }
    }

    /**
     * Runs {@code body} holding the account's lease, waiting up to {@code maxWait} for it (for a
     * person's action, such as skipping an order, that must not overlap an invoice of the account).
     */
    public <T> T withLease(String clientId, Duration maxWait, Supplier<T> body) {
        if (CURRENT.get() != null && CURRENT.get().clientId.equals(key(clientId))) {
            return body.get();
        }
        Instant deadline = Instant.now().plus(maxWait);
        while (true) {
            Optional<Held> held = tryAcquire(clientId);
            if (held.isPresent()) {
                try {
                    return body.get();
                } finally {
                    release(held.get());
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new BusyException(clientId);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BusyException(clientId);
            }
        }
    }

    private void renew(Held held) {
        try {
            int renewed = jdbc.update("update contabilium_account set lease_expires_at = " + expiry()
                    + " where client_id = ? and lease_token = ? and lease_expires_at > current_timestamp",
                    ttlMillis, held.clientId, held.token);
            if (renewed != 1) {
                held.lost.set(true);
                held.renewal.cancel(false);
                log.warn("Lost the lease on Contabilium account {} (expired before it was renewed)", held.clientId);
            }
        } catch (RuntimeException e) {
            // Try again at the next tick; if the database stays away the lease expires and checkHeld says so.
            log.warn("Could not renew the lease on account {}: {}", held.clientId, e.toString());
        }
    }

    /** The database's now plus the time-to-live (a parameter, in milliseconds); valid on H2 and PostgreSQL. */
    private static String expiry() {
        return "current_timestamp + cast(? as integer) * interval '0.001' second";
    }

    static String key(String clientId) {
        return clientId.toLowerCase();
    }

    /** The account's row, created on first use (another replica may create it at the same moment). */
    void ensureRow(String key) {
        Integer found = jdbc.queryForObject("select count(*) from contabilium_account where client_id = ?",
                Integer.class, key);
        if (found != null && found > 0) {
            return;
        }
        try {
            jdbc.update("insert into contabilium_account (client_id, created_at) values (?, ?)", key,
                    Timestamp.from(Instant.now()));
        } catch (DataIntegrityViolationException raced) {
            // another thread or replica inserted it first: fine
        }
    }

    @PreDestroy
    void stop() {
        renewer.shutdownNow();
    }
}
