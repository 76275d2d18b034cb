package ar.connector.receipts;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import ar.connector.invoicing.Tx;

/**
 * The receipt columns of {@code order_record}, changed by compare-and-set updates in transactions of
 * their own. The conditions carry the guarantees: a message number is claimed by one sender at a
 * time and recorded once, and a stale job never undoes a newer state.
 */
@Component
public class ReceiptLedger {

    private final JdbcTemplate jdbc;
    private final Tx tx;

    public ReceiptLedger(JdbcTemplate jdbc, Tx tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** Marks a freshly issued invoice's receipt as queued; false when it already has a receipt state. */
    public boolean queueFirst(long recordId) {
        return update("update order_record set receipt_status = 'PENDING', receipt_reason = null, receipt_queued_at = ?"
                + " where id = ? and receipt_status is null", now(), recordId) == 1;
    }

    /** Queues message number count + 1 (a resend); answers that number, or -1 while a send is under way. */
    public int queueNext(long recordId) {
        return tx.call(() -> {
            Integer count = jdbc.queryForObject("select receipt_count from order_record where id = ? for update",
                    Integer.class, recordId);
            int updated = jdbc.update("update order_record set receipt_status = 'PENDING', receipt_reason = null,"
                    + " receipt_queued_at = ? where id = ? and (receipt_status is null or receipt_status <> 'SENDING')",
                    now(), recordId);
            return updated == 1 ? count + 1 : -1;
        });
    }

    /**
     * Queues the credit note of a credited order as message count + 1; answers that number, or -1 when
     * the ledger took charge of it already or a send is under way (then the credit note is not mailed
     * by itself; the resend action sends it).
     */
    public int queueCreditNote(long recordId) {
        return tx.call(() -> {
            Integer count = jdbc.queryForObject("select receipt_count from order_record where id = ? for update",
                    Integer.class, recordId);
            int updated = jdbc.update("update order_record set receipt_status = 'PENDING', receipt_reason = null,"
                    + " receipt_queued_at = ?, receipt_credit_queued = true where id = ?"
                    + " and receipt_credit_queued = false and (receipt_status is null or receipt_status <> 'SENDING')",
                    now(), recordId);
            if (updated == 1) {
                return count + 1;
            }
            jdbc.update("update order_record set receipt_credit_queued = true where id = ?", recordId);
            return -1;
        });
    }

    /** The credit note is not to be mailed (receipts off): the ledger has decided it. */
    public void creditNoteDecided(long recordId) {
        update("update order_record set receipt_credit_queued = true where id = ?", recordId);
    }

    /** The first message is not to be sent (receipts off): SKIPPED unless the ledger took charge already. */
    public boolean skipFirst(long recordId, String reason) {
        return update("update order_record set receipt_status = 'SKIPPED', receipt_reason = ?, receipt_queued_at = ?"
                + " where id = ? and receipt_status is null", cut(reason), now(), recordId) == 1;
    }

    public void skip(long recordId, String reason) {
        update("update order_record set receipt_status = 'SKIPPED', receipt_reason = ?, receipt_sending_at = null"
                + " where id = ? and (receipt_status is null or receipt_status = 'PENDING')", cut(reason), recordId);
    }

    /**
     * Claims message {@code number} for sending: the row must be PENDING, or SENDING since before
     * {@code staleBefore} (a send interrupted by a crash). Answers the claim's token, or null.
     */
    public Timestamp claim(long recordId, int number, String to, String messageId, Instant staleBefore) {
        Timestamp token = now();
        int claimed = update("update order_record set receipt_status = 'SENDING', receipt_to = ?, receipt_message_id = ?,"
                + " receipt_sending_at = ? where id = ? and receipt_count < ? and (receipt_status = 'PENDING'"
                + " or (receipt_status = 'SENDING' and receipt_sending_at < ?))",
                to, messageId, token, recordId, number, Timestamp.from(staleBefore));
        return claimed == 1 ? token : null;
    }

    public boolean sent(long recordId, int number) {
        return update("update order_record set receipt_status = 'SENT', receipt_count = ?, receipt_sent_at = ?,"
                + " receipt_reason = null, receipt_sending_at = null where id = ? and receipt_count < ?",
                number, now(), recordId, number) == 1;
    }

    /** Gives a claim back after a failed send, with the error as the reason, for the next attempt. */
    public void release(long recordId, Timestamp token, String reason) {
        update("update order_record set receipt_status = 'PENDING', receipt_reason = ?, receipt_sending_at = null"
                + " where id = ? and receipt_status = 'SENDING' and receipt_sending_at = ?", cut(reason), recordId, token);
    }

    /** Notes why the last attempt failed while the receipt waits for the next one. */
    public void retrying(long recordId, int number, String reason) {
        update("update order_record set receipt_reason = ? where id = ? and receipt_count < ?"
                + " and receipt_status = 'PENDING'", cut(reason), recordId, number);
    }

    public void fail(long recordId, int number, String reason) {
        update("update order_record set receipt_status = 'FAILED', receipt_reason = ?, receipt_sending_at = null"
                + " where id = ? and receipt_count < ? and receipt_status in ('PENDING', 'SENDING')",
                cut(reason), recordId, number);
    }

    /** Receipts queued before {@code before} and still PENDING: their job may have been lost. */
    public List<long[]> pendingSince(Instant before, int limit) {
        return jdbc.query("select id, receipt_count from order_record where receipt_status = 'PENDING'"
                + " and receipt_queued_at < ? order by receipt_queued_at fetch first ? rows only",
                (rs, i) -> new long[] {rs.getLong(1), rs.getLong(2)}, Timestamp.from(before), limit);
    }

    public void requeued(long recordId) {
        update("update order_record set receipt_queued_at = ? where id = ? and receipt_status = 'PENDING'", now(), recordId);
    }

    private int update(String sql, Object... args) {
        return tx.call(() -> jdbc.update(sql, args));
    }

    private static Timestamp now() {
        // Millisecond precision so that a token read back compares equal on every database.
        return Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    private static String cut(String reason) {
        return reason == null || reason.length() <= 2000 ? reason : reason.substring(0, 2000);
    }
}
