package ar.connector.invoicing;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The orders each Contabilium account has waiting (table {@code invoice_backlog}): what
 * {@code order-invoicing} took off connector.orders, worked on one per turn of the account, oldest
 * available first. A failed attempt stays here with a later {@code available_at}, so a failing order
 * waits without holding anything. Gauge: {@code connector_invoice_backlog}.
 */
@Component
public class InvoiceBacklog {

    /** One waiting order. {@code attempt}: failed attempts so far. */
    public record Entry(long id, String clientId, String message, int attempt) {
    }

    /**
     * The account's oldest available entry. Ordered by the whole index (client_id, available_at, id),
     * so H2 walks the index and stops at the first row; ordered by (available_at, id) alone it read and
     * sorted every row of the account's backlog (2,000 rows, with their messages, per order of a
     * 2,000-order run). {@code InvoiceBacklogPlanTest} holds both to one row read.
     */
    static final String NEXT = "select id, client_id, message, attempt from invoice_backlog where client_id = ?"
            + " and available_at <= current_timestamp order by client_id, available_at, id fetch first 1 rows only";
    /** The account's earliest entry in index order (H2 answers min() with a where clause by reading every row). */
    static final String NEXT_AVAILABLE = "select available_at, current_timestamp from invoice_backlog"
            + " where client_id = ? order by client_id, available_at fetch first 1 rows only";

    private final JdbcTemplate jdbc;

    public InvoiceBacklog(JdbcTemplate jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        Gauge.builder("connector_invoice_backlog", this, InvoiceBacklog::size)
                .description("orders waiting for their Contabilium account's turn (all accounts)")
                .register(meters);
    }

    /** Times are the database's clock ({@code current_timestamp}), the same for every replica. */
    public void add(String clientId, String message) {
        jdbc.update("insert into invoice_backlog (client_id, message, attempt, available_at, created_at)"
                + " values (?, ?, 0, current_timestamp, current_timestamp)", clientId, message);
    }

    /** The account's oldest order available now, if any. */
    public Optional<Entry> next(String clientId) {
        return jdbc.query(NEXT,
                (rs, i) -> new Entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4)),
                clientId).stream().findFirst();
    }

    /**
     * How long until the account's next order becomes available (zero or negative: now), or empty
     * when it has none; measured on the database's clock, so a replica's own clock does not matter.
     */
    public Optional<Duration> nextAvailable(String clientId) {
        return jdbc.query(NEXT_AVAILABLE,
                (rs, i) -> {
                    Timestamp at = rs.getTimestamp(1);
                    return at == null ? null : Duration.between(rs.getTimestamp(2).toInstant(), at.toInstant());
                }, clientId).stream().filter(java.util.Objects::nonNull).findFirst();
    }

    public void done(long id) {
        jdbc.update("delete from invoice_backlog where id = ?", id);
    }

    /** The entry waits {@code pause} (from the database's now) before a turn takes it again. */
    public void retryIn(long id, int attempt, Duration pause, String error) {
        jdbc.update("update invoice_backlog set attempt = ?, available_at = current_timestamp + cast(? as integer)"
                + " * interval '0.001' second, last_error = ? where id = ?", attempt, (int) pause.toMillis(),
                error == null ? null : error.substring(0, Math.min(error.length(), 1000)), id);
    }

    /** Accounts with orders waiting. */
    public List<String> accounts() {
        return jdbc.queryForList("select distinct client_id from invoice_backlog", String.class);
    }

    public long size() {
        Long n = jdbc.queryForObject("select count(*) from invoice_backlog", Long.class);
        return n == null ? 0 : n;
    }
}
