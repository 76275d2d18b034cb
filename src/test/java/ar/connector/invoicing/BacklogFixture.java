package ar.connector.invoicing;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Puts an account's backlog and turn in the state a test needs, as the database holds them. */
final class BacklogFixture {

    private BacklogFixture() {
    }

    /**
     * The order in its account's backlog as order-invoicing leaves it, with the account's turn id set
     * to {@code turnId} (null: none), due {@code dueAgo} ago, but no turn message on the broker; a test
     * then plays the turn. (Due over a minute ago with the lease free, the sweep replaces it.)
     */
    static void admittedWithoutTurn(JdbcTemplate jdbc, ObjectMapper mapper, long linkId, long orderId, String account,
            String turnId, Duration dueAgo) throws Exception {
        jdbc.update("insert into contabilium_account (client_id, created_at) select ?, current_timestamp"
                + " where not exists (select 1 from contabilium_account where client_id = ?)", account, account);
        jdbc.update("update contabilium_account set turn_id = ?, turn_due_at = ? where client_id = ?", turnId,
                turnId == null ? null : Timestamp.from(Instant.now().minus(dueAgo)), account);
        String message = mapper.writeValueAsString(
                new OrderMessage(linkId, orderId, OrderMessage.WEBHOOK, false, null, null));
        jdbc.update("insert into invoice_backlog (client_id, message, attempt, available_at, created_at)"
                + " values (?, ?, 0, ?, ?)", account, message, Timestamp.from(Instant.now()), Timestamp.from(Instant.now()));
    }

    /** A fresh link with one paid order (REM-01 × 1, buyer's DNI {@code dni}) in its account's backlog. */
    record Admitted(SandboxedConnectorTest.Linked link, long orderId, String account) {
    }

    static Admitted admitted(SandboxedConnectorTest test, JdbcTemplate jdbc, String dni, String turnId, Duration dueAgo)
            throws Exception {
        SandboxedConnectorTest.Linked link = test.newLink("RI", java.util.Map.of(), "REM-01");
        long orderId = link.store().newOrder().additionalField("DNI", dni).line("REM-01", 1, 1210.00).status("paid")
                .create();
        String account = link.account().email().toLowerCase();
        admittedWithoutTurn(jdbc, test.mapper, link.linkId(), orderId, account, turnId, dueAgo);
        return new Admitted(link, orderId, account);
    }

    static int size(JdbcTemplate jdbc, String account) {
        return jdbc.queryForObject("select count(*) from invoice_backlog where client_id = ?", Integer.class, account);
    }
}
