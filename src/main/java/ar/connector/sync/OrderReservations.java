package ar.connector.sync;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import ar.connector.jumpseller.JsModel;
import ar.connector.links.Link;

/**
 * Units sold in Jumpseller that Contabilium does not know about yet. Contabilium moves stock when
 * the invoice draft is created ({@code crear}), so between a paid order and its draft the sale is
 * visible in no warehouse: every store drawing on the same stock must show it as gone, or two
 * stores could sell the last unit twice. Lines are recorded when a paid order is seen (by the
 * invoicing flow and by stock webhooks); whether they still count is read from the order log.
 */
@Component
public class OrderReservations {

    private final JdbcTemplate jdbc;

    public OrderReservations(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records the lines of a paid order (idempotent: the first copy wins, a repeat changes nothing);
     * forgets them when the order is canceled. Other states are left alone.
     */
    public void record(long linkId, JsModel.Order order) {
        if (order.isCanceled()) {
            forget(linkId, order.id());
            return;
        }
        if (!order.isPaid()) {
            return;
        }
        Integer known = jdbc.queryForObject(
                "select count(*) from order_line_reservation where link_id = ? and order_id = ?", Integer.class,
                linkId, order.id());
        if (known != null && known > 0) {
            return;
        }
        Map<String, BigDecimal> units = new HashMap<>();
        for (JsModel.Line line : order.lines()) {
            if (line.sku() != null && !line.sku().isBlank() && line.qty() != null && line.qty().signum() > 0) {
                units.merge(Listing.key(line.sku()), line.qty(), BigDecimal::add);
            }
        }
        Timestamp now = Timestamp.from(Instant.now());
        units.forEach((sku, qty) -> {
            try {
                jdbc.update("insert into order_line_reservation (link_id, order_id, sku, qty, created_at) "
                        + "values (?, ?, ?, ?, ?)", linkId, order.id(), sku, qty, now);
            } catch (org.springframework.dao.DuplicateKeyException raced) {
                // the same order recorded a moment ago by the other path
            }
        });
    }

    public void forget(long linkId, long orderId) {
        jdbc.update("delete from order_line_reservation where link_id = ? and order_id = ?", linkId, orderId);
    }

    /**
     * Units still to subtract from what {@code link} shows, per upper-cased SKU: lines of orders of
     * every active link on the same Contabilium account whose stock overlaps this link's (a link
     * summing all warehouses overlaps all; a link on one warehouse overlaps links on that warehouse
     * and links without one, whose invoices may draw from any), and that have no Contabilium
     * document yet (no order row, or PENDING/PARKED/FAILED with nothing sent).
     */
    public Map<String, BigDecimal> unitsToSubtract(Link link) {
        Long deposito = link.getSettings().getDepositoId();
        String sql = "select r.sku, sum(r.qty) from order_line_reservation r "
                + "join link l on l.id = r.link_id "
                + "left join order_record o on o.link_id = r.link_id and o.order_id = r.order_id "
                + "where l.contabilium_client_id = ? and l.unlinked_at is null "
                + (deposito == null ? "" : "and (l.deposito_id is null or l.deposito_id = " + deposito.longValue() + ") ")
                + "and (o.id is null or (o.status in ('PENDING', 'PARKED', 'FAILED') and o.phase = 'NONE')) "
                + "group by r.sku";
        Map<String, BigDecimal> units = new HashMap<>();
        jdbc.query(sql, rs -> {
            units.put(rs.getString(1), rs.getBigDecimal(2));
        }, link.getContabiliumClientId());
        return units;
    }
}
