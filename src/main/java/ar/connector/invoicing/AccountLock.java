package ar.connector.invoicing;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One invoice at a time per Contabilium account, across threads and instances (SPEC §5). Threads
 * of this instance queue on an in-memory lock; instances sharing a database then serialise on a
 * row lock ({@code SELECT … FOR UPDATE} on the account's row) held in a transaction of its own for
 * the whole critical section. The work inside commits its steps in separate transactions, so its
 * progress is durable even while the lock is held; a crashed holder's lock dies with its connection.
 */
@Component
public class AccountLock {

    private final Map<String, ReentrantLock> local = new ConcurrentHashMap<>();
    private final JdbcTemplate jdbc;
    private final TransactionTemplate lockTx;

    public AccountLock(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.lockTx = new TransactionTemplate(transactions);
        this.lockTx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    public <T> T withLock(String clientId, Supplier<T> body) {
        String key = clientId.toLowerCase();
        ReentrantLock lock = local.computeIfAbsent(key, k -> new ReentrantLock(true));
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the account lock", e);
        }
        try {
            ensureRow(key);
            return lockTx.execute(status -> {
                jdbc.queryForObject("select client_id from contabilium_account where client_id = ? for update",
                        String.class, key);
                return body.get();
            });
        } finally {
            lock.unlock();
        }
    }

    private void ensureRow(String key) {
        Integer found = jdbc.queryForObject("select count(*) from contabilium_account where client_id = ?",
                Integer.class, key);
        if (found != null && found > 0) {
            return;
        }
        try {
            lockTx.executeWithoutResult(status -> jdbc.update(
                    "insert into contabilium_account (client_id, created_at) values (?, ?)", key,
                    java.sql.Timestamp.from(Instant.now())));
        } catch (DataIntegrityViolationException raced) {
            // another instance inserted it first: fine
        }
    }
}
