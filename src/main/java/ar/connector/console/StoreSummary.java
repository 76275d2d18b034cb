package ar.connector.console;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import ar.connector.api.ApiCallException;
import ar.connector.links.Link;
import ar.connector.reconciliation.DocumentAmounts;

/**
 * A store's "Resumen": what was invoiced today and this month, per document type (count, net, IVA,
 * total), the credit notes, and the orders that need a person. Counts and totals come from the order
 * log; net and IVA from Contabilium's own figures for each document ({@link DocumentAmounts}).
 */
@Component
class StoreSummary {

    /** One document type in one period; net and IVA are null while Contabilium's figures are missing. */
    record Line(String tipo, String label, long count, BigDecimal net, BigDecimal iva, BigDecimal total) {
    }

    /** Invoices and credit notes of one period, and what they leave: invoiced less credited. */
    record Period(String title, List<Line> invoices, List<Line> creditNotes, Line balance) {
        public boolean empty() {
            return invoices.isEmpty() && creditNotes.isEmpty();
        }

        /** Invoices first, then credit notes. */
        public List<Line> lines() {
            return java.util.stream.Stream.concat(invoices.stream(), creditNotes.stream()).toList();
        }
    }

    record Summary(Period today, Period month, long parked, long failed, boolean amountsUnavailable) {
    }

    private static final String[] MONTHS = {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
        "septiembre", "octubre", "noviembre", "diciembre"};

    private final JdbcTemplate jdbc;
    private final DocumentAmounts amounts;

    StoreSummary(JdbcTemplate jdbc, DocumentAmounts amounts) {
        this.jdbc = jdbc;
        this.amounts = amounts;
    }

    Summary of(Link link, LocalDate today) {
        LocalDate monthStart = today.withDayOfMonth(1);
        Instant fromMonth = monthStart.atStartOfDay(OrdersController.BUENOS_AIRES).toInstant();
        Instant fromToday = today.atStartOfDay(OrdersController.BUENOS_AIRES).toInstant();
        Instant until = today.plusDays(1).atStartOfDay(OrdersController.BUENOS_AIRES).toInstant();
        boolean unavailable = false;
        Set<Long> missing = missingAmounts(link.getId(), fromMonth, until);
        if (!missing.isEmpty()) {
            try {
                // An invoice is dated the day its draft was made, which may be a few days before its CAE.
                amounts.fill(link, missing, monthStart.minusDays(5), today);
            } catch (ApiCallException e) {
                unavailable = true;
            }
        }
        long parked = count(link.getId(), "PARKED");
        long failed = count(link.getId(), "FAILED");
        return new Summary(period("Hoy, " + OrdersController.DAY.format(today), link.getId(), fromToday, until),
                period("Este mes, " + MONTHS[today.getMonthValue() - 1] + " de " + today.getYear(), link.getId(),
                        fromMonth, until), parked, failed, unavailable);
    }

    private Period period(String title, long linkId, Instant from, Instant until) {
        List<Line> invoices = lines("invoice", linkId, from, until);
        List<Line> credits = lines("credit", linkId, from, until);
        return new Period(title, invoices, credits, balance(invoices, credits));
    }

    /** The issued documents of one slot ("invoice" or "credit" columns of order_record) per type. */
    private List<Line> lines(String slot, long linkId, Instant from, Instant until) {
        String at = slot.equals("invoice") ? "invoiced_at" : "credited_at";
        return jdbc.query("select r." + slot + "_tipo, count(*), sum(r." + slot + "_total), sum(a.net), sum(a.iva),"
                + " count(a.contabilium_id) from order_record r left join document_amount a"
                + " on a.link_id = r.link_id and a.contabilium_id = r." + slot + "_id"
                + " where r.link_id = ? and r." + slot + "_cae is not null and r." + at + " >= ? and r." + at + " < ?"
                + " group by r." + slot + "_tipo order by r." + slot + "_tipo", (rs, row) -> {
                    String tipo = rs.getString(1);
                    long count = rs.getLong(2);
                    boolean known = rs.getLong(6) == count;
                    return new Line(tipo, ConsoleText.documentType(tipo), count, known ? rs.getBigDecimal(4) : null,
                            known ? rs.getBigDecimal(5) : null, rs.getBigDecimal(3));
                }, linkId, Timestamp.from(from), Timestamp.from(until));
    }

    private static Line balance(List<Line> invoices, List<Line> credits) {
        BigDecimal net = BigDecimal.ZERO;
        BigDecimal iva = BigDecimal.ZERO;
        BigDecimal total = BigDecimal.ZERO;
        boolean known = true;
        long count = 0;
        for (List<Line> side : List.of(invoices, credits)) {
            int sign = side == invoices ? 1 : -1;
            for (Line line : side) {
                count += line.count();
                total = total.add(line.total().multiply(BigDecimal.valueOf(sign)));
                if (line.net() == null) {
                    known = false;
                } else {
                    net = net.add(line.net().multiply(BigDecimal.valueOf(sign)));
                    iva = iva.add(line.iva().multiply(BigDecimal.valueOf(sign)));
                }
            }
        }
        return new Line("", "Facturado menos notas de crédito", count, known ? net : null, known ? iva : null, total);
    }

    private Set<Long> missingAmounts(long linkId, Instant from, Instant until) {
        Set<Long> out = new HashSet<>();
        for (String slot : List.of("invoice", "credit")) {
            String at = slot.equals("invoice") ? "invoiced_at" : "credited_at";
            out.addAll(jdbc.queryForList("select r." + slot + "_id from order_record r where r.link_id = ?"
                    + " and r." + slot + "_cae is not null and r." + slot + "_id is not null and r." + at + " >= ?"
                    + " and r." + at + " < ? and not exists (select 1 from document_amount a where a.link_id = r.link_id"
                    + " and a.contabilium_id = r." + slot + "_id)", Long.class, linkId, Timestamp.from(from),
                    Timestamp.from(until)));
        }
        return out;
    }

    private long count(long linkId, String status) {
        Long n = jdbc.queryForObject("select count(*) from order_record where link_id = ? and status = ?", Long.class,
                linkId, status);
        return n == null ? 0 : n;
    }
}
