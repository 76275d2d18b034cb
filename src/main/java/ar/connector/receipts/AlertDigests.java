package ar.connector.receipts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import jakarta.mail.internet.InternetAddress;

import org.apache.camel.Exchange;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import ar.connector.config.ConnectorProperties;
import ar.connector.config.Hops;
import ar.connector.invoicing.OrderInvoicer;
import ar.connector.invoicing.Tx;
import ar.connector.links.Link;
import ar.connector.links.LinkRepository;

/**
 * Merchant alert digests (SPEC §2 {@code alertEmail}): for each link with an alert address, at most
 * one e-mail per {@code connector.alerts.digest-interval}, and only when some order became PARKED or
 * FAILED since the last one, or was invoiced with a warning (its invoice's total differs from the order's).
 * A parked or failed order is news while its {@code updated_at} differs from the {@code alert_reported_at}
 * the last digest stored, so an order retried and parked again is reported again, and one reported once is
 * not repeated; a warning is news until a digest after its invoice reported it. An invoiced order canceled
 * and waiting for a person's credit note carries the days RG 4540 leaves for it. Called by the
 * {@code alert-digest} routes.
 */
@Component("alertDigests")
public class AlertDigests {

    static final String SEND = "connectorDigestSend";
    static final String ORDERS = "connectorDigestOrders";
    static final String LINK = "connectorDigestLink";
    private static final int MAX_LISTED = 100;
    private static final String NEWS = "from order_record where link_id = ? and ("
            + "(status in ('PARKED', 'FAILED') and (alert_reported_at is null or alert_reported_at <> updated_at))"
            + " or (status = 'INVOICED' and warning is not null"
            + " and (alert_reported_at is null or alert_reported_at < invoiced_at)))";

    private record Reported(long id, Timestamp updatedAt) {
    }

    private final LinkRepository links;
    private final JdbcTemplate jdbc;
    private final Tx tx;
    private final StoreNames storeNames;
    private final Hops hops;
    private final ConnectorProperties properties;

    public AlertDigests(LinkRepository links, JdbcTemplate jdbc, Tx tx, StoreNames storeNames,
            Hops hops, ConnectorProperties properties) {
        this.links = links;
        this.jdbc = jdbc;
        this.tx = tx;
        this.storeNames = storeNames;
        this.hops = hops;
        this.properties = properties;
    }

    /** One link's digest to compose and send (route {@code alert-digest-send}). */
    public record DigestDue(long linkId) {
    }

    /** Links with an alert address, past their interval, with something new to report. */
    public List<DigestDue> due() {
        Instant since = Instant.now().minus(properties.alerts().digestInterval());
        List<DigestDue> due = new ArrayList<>();
        for (Link link : links.findAll()) {
            if (!link.isActive() || blank(link.getSettings().getAlertEmail())) {
                continue;
            }
            List<Timestamp> last = jdbc.queryForList("select last_sent_at from alert_digest where link_id = ?",
                    Timestamp.class, link.getId());
            if (!last.isEmpty() && last.get(0).toInstant().isAfter(since)) {
                continue;
            }
            Integer news = jdbc.queryForObject("select count(*) " + NEWS, Integer.class, link.getId());
            if (news != null && news > 0) {
                due.add(new DigestDue(link.getId()));
            }
        }
        return due;
    }

    /** Sends every due digest now, through the same route as the timer (operators and tests). */
    public int sendDue() {
        List<DigestDue> due = due();
        due.forEach(digest -> hops.send("direct:alert-digest-send", digest));
        return due.size();
    }

    /** Builds one link's digest on the exchange (body: the link id). */
    public void compose(Exchange exchange) {
        long linkId = exchange.getMessage().getBody(DigestDue.class).linkId();
        exchange.setProperty(SEND, false);
        exchange.getMessage().removeHeaders("*");
        Link link = links.findById(linkId).orElse(null);
        if (link == null || !link.isActive() || blank(link.getSettings().getAlertEmail())) {
            return;
        }
        List<AlertDigestText.Item> items = new ArrayList<>();
        List<Reported> reported = new ArrayList<>();
        LocalDate today = LocalDate.now(OrderInvoicer.BUENOS_AIRES);
        jdbc.query("select id, order_id, status, reason, updated_at, warning, canceled_at, invoice_cae, credit_cae "
                + NEWS + " order by order_id", rs -> {
            if (items.size() < MAX_LISTED) {
                String status = rs.getString(3);
                Timestamp canceledAt = rs.getTimestamp(7);
                // Canceled after its invoice and parked for a person: the credit note's clock is running.
                Integer daysLeft = "PARKED".equals(status) && canceledAt != null && rs.getString(8) != null
                        && rs.getString(9) == null
                        ? AlertDigestText.CREDIT_NOTE_DAYS - (int) ChronoUnit.DAYS.between(
                                canceledAt.toInstant().atZone(OrderInvoicer.BUENOS_AIRES).toLocalDate(), today)
                        : null;
                items.add(new AlertDigestText.Item(rs.getLong(2), status,
                        "INVOICED".equals(status) ? rs.getString(6) : rs.getString(4), daysLeft));
            }
            reported.add(new Reported(rs.getLong(1), rs.getTimestamp(5)));
        }, linkId);
        if (items.isEmpty()) {
            return;
        }
        String store = storeNames.of(link);
        AlertDigestText.Rendered text = AlertDigestText.render(store, items, reported.size() - items.size());
        exchange.setProperty(SEND, true);
        exchange.setProperty(LINK, linkId);
        exchange.setProperty(ORDERS, reported);
        exchange.getMessage().setHeader("To", link.getSettings().getAlertEmail());
        exchange.getMessage().setHeader("From", sender(store));
        exchange.getMessage().setHeader("Subject", text.subject());
        exchange.getMessage().setBody(text.body());
    }

    /** The digest went out: its orders are no longer news, and the link's interval starts now. */
    @SuppressWarnings("unchecked")
    public void reported(Exchange exchange) {
        long linkId = exchange.getProperty(LINK, Long.class);
        List<Reported> reported = exchange.getProperty(ORDERS, List.class);
        tx.run(() -> {
            for (Reported order : reported) {
                // Only the version that was listed: a change since then stays news for the next digest.
                jdbc.update("update order_record set alert_reported_at = updated_at where id = ? and updated_at = ?",
                        order.id(), order.updatedAt());
            }
            Timestamp now = Timestamp.from(Instant.now());
            if (jdbc.update("update alert_digest set last_sent_at = ?, orders_reported = ? where link_id = ?", now,
                    reported.size(), linkId) == 0) {
                jdbc.update("insert into alert_digest (link_id, last_sent_at, orders_reported) values (?, ?, ?)",
                        linkId, now, reported.size());
            }
        });
    }

    private String sender(String store) {
        String from = properties.receipts().from();
        try {
            return new InternetAddress(from, store, StandardCharsets.UTF_8.name()).toString();
        } catch (IOException e) {
            return from;
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
