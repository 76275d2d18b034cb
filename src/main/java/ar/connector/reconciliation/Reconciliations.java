package ar.connector.reconciliation;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import ar.connector.api.ApiCallException;
import ar.connector.config.ConnectorProperties;
import ar.connector.config.Hops;
import ar.connector.contabilium.CbModel;
import ar.connector.contabilium.ContabiliumAccount;
import ar.connector.contabilium.ContabiliumClient;
import ar.connector.invoicing.OrderInvoicer;
import ar.connector.jumpseller.JsModel;
import ar.connector.jumpseller.JumpsellerClient;
import ar.connector.jumpseller.StoreCredentials;
import ar.connector.links.Link;
import ar.connector.links.LinkRepository;
import ar.connector.web.ApiException;
import ar.connector.webhooks.WebhookRegistrar;

/**
 * The month's reconciliation of one link: Jumpseller's paid and canceled orders created in the month
 * against the Contabilium documents of the month that carry this store's references
 * ({@code RefExterna = jumpseller:<storeCode>:<orderId>}, credit notes with a suffix). It finds
 * orders without invoice, invoices without order (issued by hand, or for an order that does not
 * exist or was never paid), totals that differ, and canceled orders whose invoice has no credit note.
 *
 * <p>It runs as a job ({@code reconciliation} route, one message per run) because a big month takes
 * minutes at the APIs' rates: both clients pace themselves, pages are read one at a time and staged
 * in the database, the comparison is SQL, and only the differences are kept. Memory does not grow
 * with the month. Doubtful cases (an invoice of another month's order, an invoice dated after the
 * grace days) cost one read each, and only they do.
 */
@Component("reconciliations")
public class Reconciliations {

    private static final Logger log = LoggerFactory.getLogger(Reconciliations.class);
    public static final String QUEUE = "connector.reconciliations";
    public static final String ENQUEUE = "direct:reconciliation-enqueue";
    static final ZoneId BUENOS_AIRES = ZoneId.of("America/Argentina/Buenos_Aires");
    private static final BigDecimal CENT = new BigDecimal("0.01");
    private static final int BATCH = 500;

    /** What kind of difference a row is. */
    public enum Kind { ORDER_WITHOUT_INVOICE, INVOICE_WITHOUT_ORDER, TOTAL_DIFFERS, CREDITED_WITHOUT_CREDIT_NOTE }

    /** A run's state and how far it got; {@code percent} reaches 100 when it is done. */
    public record Progress(String reconciliationId, long linkId, String month, String state, String step,
            int ordersRead, int ordersTotal, int documentsRead, int documentsTotal, int checksDone, int checksTotal,
            int percent, Instant createdAt, Instant finishedAt, String error) {

        public boolean finished() {
            return "DONE".equals(state) || "FAILED".equals(state);
        }
    }

    /** One difference, with what to do about it: the admin API call and the console page that act on it. */
    /**
     * One difference. {@code expectedTotal} is what the document should total: the order's amount
     * for an invoice, the invoice's total for a credit note.
     */
    public record Difference(Kind kind, Long orderId, Long contabiliumId, String tipo, String numero,
            BigDecimal expectedTotal, BigDecimal documentTotal, String detail, Action action) {
    }

    /** {@code api} is the admin API call ({@code "POST /api/..."}), {@code console} the page or form to use. */
    public record Action(String label, String api, String console) {
    }

    private final JdbcTemplate jdbc;
    private final Hops hops;
    private final LinkRepository links;
    private final JumpsellerClient jumpseller;
    private final ContabiliumClient contabilium;
    private final DocumentAmounts amounts;
    private final ConnectorProperties.Reconciliation settings;

    public Reconciliations(JdbcTemplate jdbc, Hops hops, LinkRepository links, JumpsellerClient jumpseller,
            ContabiliumClient contabilium, DocumentAmounts amounts, ConnectorProperties properties) {
        this.jdbc = jdbc;
        this.hops = hops;
        this.links = links;
        this.jumpseller = jumpseller;
        this.contabilium = contabilium;
        this.amounts = amounts;
        this.settings = properties.reconciliation();
    }

    // ---- asking ------------------------------------------------------------------------------

    /** Queues a new reconciliation of the month (400 for a month not yet begun, 404 for an unknown link). */
    public String start(long linkId, YearMonth month) {
        activeLink(linkId);
        if (month.isAfter(YearMonth.now(BUENOS_AIRES))) {
            throw ApiException.invalid(List.of(new ar.connector.web.FieldError("month", "must not be in the future")));
        }
        String id = UUID.randomUUID().toString();
        jdbc.update("insert into reconciliation (id, link_id, period_month, state, created_at) values (?, ?, ?, 'QUEUED', ?)",
                id, linkId, month.toString(), Timestamp.from(Instant.now()));
        try {
            hops.send(ENQUEUE, new ReconciliationRequest(id));
        } catch (RuntimeException e) {
            fail(id, "could not be queued: " + e.getMessage());
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "The reconciliation could not be queued; try again");
        }
        log.info("Reconciliation {} of link {} for {} queued", id, linkId, month);
        return id;
    }

    /**
     * The reconciliation the API answers for a month: the newest one under way, else the newest
     * finished within {@code maxAge}, else a new one.
     */
    public Progress currentOrStart(long linkId, YearMonth month, boolean refresh) {
        activeLink(linkId);
        if (!refresh) {
            Optional<Progress> latest = latest(linkId, month);
            Instant fresh = Instant.now().minus(settings.maxAge());
            if (latest.isPresent() && (!latest.get().finished()
                    || "DONE".equals(latest.get().state()) && latest.get().finishedAt().isAfter(fresh))) {
                return latest.get();
            }
        }
        return progress(start(linkId, month));
    }

    public Optional<Progress> latest(long linkId, YearMonth month) {
        return jdbc.query("select * from reconciliation where link_id = ? and period_month = ?"
                + " order by created_at desc, id desc limit 1", this::progressRow, linkId, month.toString()).stream().findFirst();
    }

    public Progress progress(String id) {
        return jdbc.query("select * from reconciliation where id = ?", this::progressRow, id).stream().findFirst()
                .orElseThrow(() -> ApiException.notFound("No reconciliation " + id));
    }

    public Map<Kind, Long> counts(String id) {
        Map<Kind, Long> counts = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            counts.put(kind, 0L);
        }
        jdbc.query("select kind, count(*) from reconciliation_difference where reconciliation_id = ? group by kind",
                rs -> {
                    counts.put(Kind.valueOf(rs.getString(1)), rs.getLong(2));
                }, id);
        return counts;
    }

    /** One page of the differences, in the order they were found (by kind, then order or document). */
    public List<Difference> differences(String id, long linkId, int offset, int limit) {
        return jdbc.query("select * from reconciliation_difference where reconciliation_id = ? order by seq"
                + " limit ? offset ?", (rs, row) -> difference(rs, linkId), id, limit, offset);
    }

    /** Every difference, read a chunk at a time (for a CSV of any size). */
    public void forEachDifference(String id, long linkId, Consumer<Difference> consumer) {
        for (int offset = 0; ; offset += BATCH) {
            List<Difference> chunk = differences(id, linkId, offset, BATCH);
            chunk.forEach(consumer);
            if (chunk.size() < BATCH) {
                return;
            }
        }
    }

    // ---- the job -----------------------------------------------------------------------------

    /**
     * Runs one queued reconciliation. A message delivered again (the process died under way) starts
     * it over; one already finished is ignored. Failures end the run as FAILED with the reason: the
     * person asks again.
     */
    public void run(ReconciliationRequest request) {
        String id = request.reconciliationId();
        Progress run = jdbc.query("select * from reconciliation where id = ?", this::progressRow, id).stream()
                .findFirst().orElse(null);
        if (run == null || run.finished()) {
            return;
        }
        Link link = links.findById(run.linkId()).filter(Link::isActive).orElse(null);
        if (link == null) {
            fail(id, "the link was unlinked");
            return;
        }
        try {
            clear(id);
            jdbc.update("update reconciliation set state = 'RUNNING', started_at = ?, orders_total = 0, orders_read = 0,"
                    + " documents_total = 0, documents_read = 0, checks_total = 0, checks_done = 0 where id = ?",
                    Timestamp.from(Instant.now()), id);
            YearMonth month = YearMonth.parse(run.month());
            readOrders(id, link, month);
            readDocuments(id, link, month);
            check(id, link);
            compare(id, link);
            jdbc.update("update reconciliation set state = 'DONE', step = null, finished_at = ? where id = ?",
                    Timestamp.from(Instant.now()), id);
            clearStaging(id);
            prune(link.getId());
            log.info("Reconciliation {} of link {} for {} done: {}", id, link.getId(), month, counts(id));
        } catch (ApiCallException e) {
            log.warn("Reconciliation {} of link {} failed: {}", id, link.getId(), e.getMessage());
            fail(id, e.is(ApiCallException.Kind.UNAUTHORIZED)
                    ? "Las credenciales del vínculo fueron rechazadas (" + e.getMessage() + ")"
                    : "No se pudo leer Jumpseller o Contabilium: " + e.getMessage());
            clearStaging(id);
        } catch (RuntimeException e) {
            log.warn("Reconciliation {} of link {} failed", id, link.getId(), e);
            fail(id, "Falló: " + e.getMessage());
            clearStaging(id);
        }
    }

    /** Step 1: the month's paid and canceled orders, one Jumpseller page at a time. */
    private void readOrders(String id, Link link, YearMonth month) {
        step(id, "ORDERS");
        StoreCredentials store = WebhookRegistrar.credentials(link);
        LocalDate from = month.atDay(1);
        LocalDate to = min(month.atEndOfMonth(), LocalDate.now(BUENOS_AIRES));
        boolean shipping = link.getSettings().isIncludeShippingCost();
        for (String status : List.of("paid", "canceled")) {
            for (int page = 1; ; page++) {
                JsModel.OrderPage found = jumpseller.searchOrders(store, status, from, to, page);
                if (page == 1) {
                    jdbc.update("update reconciliation set orders_total = orders_total + ? where id = ?", found.count(), id);
                }
                // An order can show up on two pages while new ones arrive: the first reading stays.
                Set<Long> staged = staged(id, "reconciliation_order", "order_id",
                        found.orders().stream().map(JsModel.Order::id).toList());
                List<Object[]> rows = new ArrayList<>();
                for (JsModel.Order order : found.orders()) {
                    if (staged.add(order.id())) {
                        rows.add(new Object[] {id, order.id(), status, expectedTotal(order, shipping), buyer(order)});
                    }
                }
                jdbc.batchUpdate("insert into reconciliation_order (reconciliation_id, order_id, status, expected_total, buyer)"
                        + " values (?, ?, ?, ?, ?)", rows, new int[] {Types.VARCHAR, Types.BIGINT, Types.VARCHAR,
                            Types.NUMERIC, Types.VARCHAR});
                jdbc.update("update reconciliation set orders_read = orders_read + ? where id = ?", found.orders().size(), id);
                if (found.orders().size() < JumpsellerClient.PAGE_SIZE) {
                    break;
                }
            }
        }
    }

    /**
     * What the order says its invoice must total, by the rule the invoicing flow checks before asking
     * for a CAE: subtotal − discount (+ shipping − shipping discount when the link invoices shipping).
     */
    static BigDecimal expectedTotal(JsModel.Order order, boolean includeShipping) {
        if (order.subtotal() == null) {
            return order.total() == null ? null : order.total().setScale(2, RoundingMode.HALF_UP);
        }
        BigDecimal amount = order.subtotal().subtract(orZero(order.discount()));
        if (includeShipping) {
            amount = amount.add(orZero(order.shipping())).subtract(orZero(order.shippingDiscount()));
        }
        return amount.setScale(2, RoundingMode.HALF_UP);
    }

    /** Step 2: the documents dated in the month (and the grace days after it), one Contabilium page at a time. */
    private void readDocuments(String id, Link link, YearMonth month) {
        step(id, "DOCUMENTS");
        ContabiliumAccount account = account(link);
        LocalDate from = month.atDay(1);
        LocalDate monthEnd = month.atEndOfMonth();
        LocalDate to = min(monthEnd.plusDays(settings.grace().toDays()), LocalDate.now(BUENOS_AIRES));
        String prefix = OrderInvoicer.reference(link, 0).replaceAll("0$", "");
        contabilium.forEachComprobantePage(account, from, to,
                total -> jdbc.update("update reconciliation set documents_total = ? where id = ?", (int) total, id),
                page -> {
                    List<Object[]> rows = new ArrayList<>();
                    for (CbModel.Comprobante doc : page) {
                        Object[] row = staged(id, link, doc, prefix, from, monthEnd);
                        if (row != null) {
                            rows.add(row);
                        }
                    }
                    insertDocuments(id, rows);
                    jdbc.update("update reconciliation set documents_read = documents_read + ? where id = ?",
                            page.size(), id);
                    return true;
                });
    }

    /**
     * The staging row of one document, or null for what the reconciliation ignores: drafts, other
     * kinds of documents, other stores' documents, and documents issued by hand after the month.
     */
    private Object[] staged(String id, Link link, CbModel.Comprobante doc, String prefix, LocalDate from, LocalDate monthEnd) {
        String tipo = doc.tipoFc() == null ? "" : doc.tipoFc().toUpperCase(java.util.Locale.ROOT);
        if (doc.id() == null || !doc.issued() || !(tipo.startsWith("FC") || tipo.startsWith("NC"))) {
            return null;
        }
        LocalDate fecha = date(doc.fechaEmision());
        boolean inMonth = fecha != null && !fecha.isBefore(from) && !fecha.isAfter(monthEnd);
        String ref = doc.refExterna() == null ? "" : doc.refExterna().trim();
        Long orderId = null;
        if (ref.startsWith(prefix)) {
            String rest = ref.substring(prefix.length());
            int colon = rest.indexOf(':');
            String digits = colon < 0 ? rest : rest.substring(0, colon);
            if (digits.matches("\\d{1,18}")) {
                orderId = Long.valueOf(digits);
            }
        } else if (ref.startsWith("jumpseller:")) {
            return null; // another store's document (one Contabilium account may serve several stores)
        }
        if (orderId == null && !inMonth) {
            return null;
        }
        if (orderId != null) {
            amounts.record(link.getId(), doc);
        }
        return new Object[] {id, doc.id(), orderId, tipo.startsWith("NC"), tipo, doc.numero(), sqlDate(fecha),
            doc.importeTotalNeto(), inMonth, null, null};
    }

    /** Stages documents; one already staged (pages shift while documents are added) keeps its first reading. */
    private void insertDocuments(String id, List<Object[]> rows) {
        Set<Long> staged = staged(id, "reconciliation_document", "contabilium_id",
                rows.stream().map(r -> (Long) r[1]).toList());
        List<Object[]> fresh = rows.stream().filter(r -> staged.add((Long) r[1])).toList();
        jdbc.batchUpdate("insert into reconciliation_document (reconciliation_id, contabilium_id, order_id, credit_note, tipo,"
                + " numero, fecha, total, in_month, order_check, order_check_detail) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                fresh, new int[] {Types.VARCHAR, Types.BIGINT, Types.BIGINT, Types.BOOLEAN, Types.VARCHAR, Types.VARCHAR,
                    Types.DATE, Types.NUMERIC, Types.BOOLEAN, Types.VARCHAR, Types.VARCHAR});
    }

    /** Which of these keys the run has staged already. */
    private Set<Long> staged(String id, String table, String column, List<Long> keys) {
        if (keys.isEmpty()) {
            return new HashSet<>();
        }
        String marks = String.join(", ", java.util.Collections.nCopies(keys.size(), "?"));
        List<Object> args = new ArrayList<>();
        args.add(id);
        args.addAll(keys);
        return new HashSet<>(jdbc.queryForList("select " + column + " from " + table + " where reconciliation_id = ? and "
                + column + " in (" + marks + ")", Long.class, args.toArray()));
    }

    /**
     * Step 3, one read per doubtful case: a month's document whose order is not among the month's
     * orders (another month's order, or none at all), and an order whose invoice or credit note the
     * order log knows but the month's pages did not show (dated after the grace days).
     */
    private void check(String id, Link link) {
        step(id, "CHECKS");
        String strangers = "from reconciliation_document d where d.reconciliation_id = ? and d.in_month = true"
                + " and d.order_id is not null and not exists (select 1 from reconciliation_order o"
                + " where o.reconciliation_id = d.reconciliation_id and o.order_id = d.order_id)";
        String unseenInvoice = "from reconciliation_order o join order_record r on r.link_id = ? and r.order_id = o.order_id"
                + " where o.reconciliation_id = ? and r.invoice_id is not null and r.invoice_cae is not null"
                + " and not exists (select 1 from reconciliation_document d where d.reconciliation_id = o.reconciliation_id"
                + " and d.order_id = o.order_id and d.credit_note = false)";
        String unseenCredit = "from reconciliation_order o join order_record r on r.link_id = ? and r.order_id = o.order_id"
                + " where o.reconciliation_id = ? and o.status = 'canceled' and r.credit_id is not null"
                + " and r.credit_cae is not null and not exists (select 1 from reconciliation_document d"
                + " where d.reconciliation_id = o.reconciliation_id and d.order_id = o.order_id and d.credit_note = true)";
        long total = count("select count(*) " + strangers, id) + count("select count(*) " + unseenInvoice, link.getId(), id)
                + count("select count(*) " + unseenCredit, link.getId(), id);
        jdbc.update("update reconciliation set checks_total = ? where id = ?", total, id);

        StoreCredentials store = WebhookRegistrar.credentials(link);
        for (long after = -1; ; ) {
            List<long[]> docs = jdbc.query("select d.contabilium_id, d.order_id " + strangers
                    + " and d.contabilium_id > ? order by d.contabilium_id limit " + BATCH,
                    (rs, row) -> new long[] {rs.getLong(1), rs.getLong(2)}, id, after);
            for (long[] doc : docs) {
                String[] verdict = orderCheck(link, store, doc[0], doc[1]);
                jdbc.update("update reconciliation_document set order_check = ?, order_check_detail = ?"
                        + " where reconciliation_id = ? and contabilium_id = ?", verdict[0], verdict[1], id, doc[0]);
                checked(id);
                after = doc[0];
            }
            if (docs.size() < BATCH) {
                break;
            }
        }
        ContabiliumAccount account = account(link);
        for (String unseen : List.of(unseenInvoice, unseenCredit)) {
            String column = unseen == unseenInvoice ? "r.invoice_id" : "r.credit_id";
            for (long after = -1; ; ) {
                List<long[]> rows = jdbc.query("select o.order_id, " + column + " " + unseen
                        + " and o.order_id > ? order by o.order_id limit " + BATCH,
                        (rs, row) -> new long[] {rs.getLong(1), rs.getLong(2)}, link.getId(), id, after);
                for (long[] row : rows) {
                    contabilium.comprobante(account, row[1]).filter(CbModel.Comprobante::issued).ifPresent(doc -> {
                        String tipo = doc.tipoFc() == null ? "" : doc.tipoFc();
                        insertDocuments(id, List.<Object[]>of(new Object[] {id, doc.id(), row[0], tipo.startsWith("NC"), tipo,
                            doc.numero(), sqlDate(date(doc.fechaEmision())), doc.importeTotalNeto(), false, null, null}));
                        amounts.record(link.getId(), doc);
                    });
                    checked(id);
                    after = row[0];
                }
                if (rows.size() < BATCH) {
                    break;
                }
            }
        }
    }

    /** Whose document is this: another month's order (fine), an order Jumpseller does not have, or one never paid. */
    private String[] orderCheck(Link link, StoreCredentials store, long documentId, long orderId) {
        Integer known = jdbc.queryForObject("select count(*) from order_record where link_id = ? and order_id = ?"
                + " and (invoice_id = ? or credit_id = ?)", Integer.class, link.getId(), orderId, documentId, documentId);
        if (known != null && known > 0) {
            return new String[] {"OTHER_MONTH", null};
        }
        Optional<JsModel.Order> order = jumpseller.order(store, orderId);
        if (order.isEmpty()) {
            return new String[] {"MISSING", "Su pedido #" + orderId + " no existe en Jumpseller"};
        }
        if (order.get().isPaid() || order.get().isCanceled()) {
            return new String[] {"OTHER_MONTH", null};
        }
        return new String[] {"NOT_PAID", "Su pedido #" + orderId + " está «" + order.get().statusEnum() + "» en Jumpseller"};
    }

    /** Step 4: the differences, found in SQL and written in batches. */
    private void compare(String id, Link link) {
        step(id, "COMPARING");
        List<Object[]> batch = new ArrayList<>();
        int[] seq = {0};
        Consumer<Object[]> add = row -> {
            Object[] full = new Object[row.length + 2];
            full[0] = id;
            full[1] = ++seq[0];
            System.arraycopy(row, 0, full, 2, row.length);
            batch.add(full);
            if (batch.size() >= BATCH) {
                flushDifferences(batch);
            }
        };
        // Paid, and no invoice among the documents read.
        jdbc.query("select o.order_id, o.expected_total, r.status, r.reason from reconciliation_order o"
                + " left join order_record r on r.link_id = ? and r.order_id = o.order_id"
                + " where o.reconciliation_id = ? and o.status = 'paid' and not exists (select 1 from reconciliation_document d"
                + " where d.reconciliation_id = o.reconciliation_id and d.order_id = o.order_id and d.credit_note = false)"
                + " order by o.order_id", rs -> {
                    add.accept(new Object[] {Kind.ORDER_WITHOUT_INVOICE.name(), rs.getLong(1), null, null, null,
                        rs.getBigDecimal(2), null, unInvoicedDetail(rs.getString(3), rs.getString(4))});
                }, link.getId(), id);
        // Issued in the month without a paid or canceled order behind it.
        jdbc.query("select d.contabilium_id, d.order_id, d.tipo, d.numero, d.total, d.order_check_detail"
                + " from reconciliation_document d where d.reconciliation_id = ? and d.in_month = true"
                + " and (d.order_id is null or d.order_check in ('MISSING', 'NOT_PAID')) order by d.fecha, d.contabilium_id",
                rs -> {
                    long orderId = rs.getLong(2);
                    add.accept(new Object[] {Kind.INVOICE_WITHOUT_ORDER.name(), rs.wasNull() ? null : orderId,
                        rs.getLong(1), rs.getString(3), rs.getString(4), null, rs.getBigDecimal(5),
                        rs.getString(6) == null ? "Emitido en Contabilium sin un pedido de esta tienda (a mano)" : rs.getString(6)});
                }, id);
        // The invoice does not total what the order says.
        jdbc.query("select o.order_id, o.expected_total, d.contabilium_id, d.tipo, d.numero, d.total from reconciliation_order o"
                + " join reconciliation_document d on d.reconciliation_id = o.reconciliation_id and d.order_id = o.order_id"
                + " and d.credit_note = false where o.reconciliation_id = ? and o.expected_total is not null"
                + " and abs(d.total - o.expected_total) > ? order by o.order_id", rs -> {
                    add.accept(new Object[] {Kind.TOTAL_DIFFERS.name(), rs.getLong(1), rs.getLong(3), rs.getString(4),
                        rs.getString(5), rs.getBigDecimal(2), rs.getBigDecimal(6),
                        "La factura no suma lo que dice el pedido: diferencia de "
                                + money(rs.getBigDecimal(6).subtract(rs.getBigDecimal(2)).abs())});
                }, id, CENT);
        // The credit note does not cancel the whole invoice.
        jdbc.query("select o.order_id, i.total, n.contabilium_id, n.tipo, n.numero, n.total from reconciliation_order o"
                + " join reconciliation_document i on i.reconciliation_id = o.reconciliation_id and i.order_id = o.order_id"
                + " and i.credit_note = false join reconciliation_document n on n.reconciliation_id = o.reconciliation_id"
                + " and n.order_id = o.order_id and n.credit_note = true where o.reconciliation_id = ?"
                + " and abs(n.total - i.total) > ? order by o.order_id", rs -> {
                    add.accept(new Object[] {Kind.TOTAL_DIFFERS.name(), rs.getLong(1), rs.getLong(3), rs.getString(4),
                        rs.getString(5), rs.getBigDecimal(2), rs.getBigDecimal(6),
                        "La nota de crédito no anula el total de la factura: diferencia de "
                                + money(rs.getBigDecimal(6).subtract(rs.getBigDecimal(2)).abs())});
                }, id, CENT);
        // Canceled with an invoice and no credit note.
        jdbc.query("select o.order_id, o.expected_total, d.contabilium_id, d.tipo, d.numero, d.total from reconciliation_order o"
                + " join reconciliation_document d on d.reconciliation_id = o.reconciliation_id and d.order_id = o.order_id"
                + " and d.credit_note = false where o.reconciliation_id = ? and o.status = 'canceled'"
                + " and not exists (select 1 from reconciliation_document n where n.reconciliation_id = o.reconciliation_id"
                + " and n.order_id = o.order_id and n.credit_note = true) order by o.order_id", rs -> {
                    add.accept(new Object[] {Kind.CREDITED_WITHOUT_CREDIT_NOTE.name(), rs.getLong(1), rs.getLong(3),
                        rs.getString(4), rs.getString(5), rs.getBigDecimal(2), rs.getBigDecimal(6),
                        "Cancelado en Jumpseller con factura y sin nota de crédito"});
                }, id);
        flushDifferences(batch);
    }

    private static String unInvoicedDetail(String status, String reason) {
        if (status == null) {
            return "Pagado y sin factura: el conector no lo registró (anterior a la conexión o nunca recibido)";
        }
        return switch (status) {
            case "PENDING" -> "Pagado y sin factura: pendiente de facturar en el conector";
            case "PARKED" -> "Pagado y sin factura: requiere atención (" + reason + ")";
            case "FAILED" -> "Pagado y sin factura: falló (" + reason + ")";
            case "SKIPPED" -> "Pagado y sin factura: omitido (" + reason + ")";
            default -> "Pagado y sin factura en Contabilium (el conector lo tiene como " + status + ")";
        };
    }

    private void flushDifferences(List<Object[]> batch) {
        if (batch.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("insert into reconciliation_difference (reconciliation_id, seq, kind, order_id, contabilium_id,"
                + " tipo, numero, order_total, document_total, detail) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                batch.stream().map(row -> {
                    row[9] = truncate((String) row[9], 500);
                    return row;
                }).toList(), new int[] {Types.VARCHAR, Types.INTEGER, Types.VARCHAR, Types.BIGINT, Types.BIGINT, Types.VARCHAR,
                    Types.VARCHAR, Types.NUMERIC, Types.NUMERIC, Types.VARCHAR});
        batch.clear();
    }

    // ---- reading rows ------------------------------------------------------------------------

    private Difference difference(ResultSet rs, long linkId) throws SQLException {
        Kind kind = Kind.valueOf(rs.getString("kind"));
        long order = rs.getLong("order_id");
        Long orderId = rs.wasNull() ? null : order;
        long document = rs.getLong("contabilium_id");
        Long documentId = rs.wasNull() ? null : document;
        return new Difference(kind, orderId, documentId, rs.getString("tipo"), rs.getString("numero"),
                rs.getBigDecimal("order_total"), rs.getBigDecimal("document_total"), rs.getString("detail"),
                action(kind, linkId, orderId, documentId));
    }

    static Action action(Kind kind, long linkId, Long orderId, Long documentId) {
        String orders = "/console/stores/" + linkId + "/orders?q=" + orderId;
        String api = "/api/links/" + linkId + "/orders/" + orderId;
        return switch (kind) {
            case ORDER_WITHOUT_INVOICE -> new Action("Facturar", "POST " + api + "/invoice", orders);
            case CREDITED_WITHOUT_CREDIT_NOTE -> new Action("Emitir nota de crédito", "POST " + api + "/credit-note", orders);
            case TOTAL_DIFFERS -> new Action("Revisar el pedido", "GET " + api, orders);
            case INVOICE_WITHOUT_ORDER -> new Action("Ver el comprobante", null,
                    "/console/stores/" + linkId + "/comprobantes/" + documentId + "/pdf");
        };
    }

    private Progress progressRow(ResultSet rs, int row) throws SQLException {
        String state = rs.getString("state");
        int total = rs.getInt("orders_total") + rs.getInt("documents_total") + rs.getInt("checks_total");
        int done = rs.getInt("orders_read") + rs.getInt("documents_read") + rs.getInt("checks_done");
        int percent = "DONE".equals(state) ? 100 : total == 0 ? 0 : Math.min(99, (int) ((long) done * 100 / total));
        return new Progress(rs.getString("id"), rs.getLong("link_id"), rs.getString("period_month"), state,
                rs.getString("step"), rs.getInt("orders_read"), rs.getInt("orders_total"), rs.getInt("documents_read"),
                rs.getInt("documents_total"), rs.getInt("checks_done"), rs.getInt("checks_total"), percent,
                instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("finished_at")), rs.getString("error"));
    }

    // ---- plumbing ----------------------------------------------------------------------------

    private Link activeLink(long linkId) {
        return links.findById(linkId).filter(Link::isActive)
                .orElseThrow(() -> ApiException.notFound("No active link with id " + linkId));
    }

    private void step(String id, String step) {
        jdbc.update("update reconciliation set step = ? where id = ?", step, id);
    }

    private void checked(String id) {
        jdbc.update("update reconciliation set checks_done = checks_done + 1 where id = ?", id);
    }

    private void fail(String id, String error) {
        jdbc.update("update reconciliation set state = 'FAILED', finished_at = ?, error = ? where id = ?",
                Timestamp.from(Instant.now()), truncate(error, 2000), id);
    }

    private void clear(String id) {
        clearStaging(id);
        jdbc.update("delete from reconciliation_difference where reconciliation_id = ?", id);
    }

    private void clearStaging(String id) {
        jdbc.update("delete from reconciliation_order where reconciliation_id = ?", id);
        jdbc.update("delete from reconciliation_document where reconciliation_id = ?", id);
    }

    /** Keeps the newest {@code keep} reconciliations of the link. */
    private void prune(long linkId) {
        List<String> old = jdbc.queryForList("select id from reconciliation where link_id = ? and finished_at is not null"
                + " order by created_at desc, id desc offset ? rows", String.class, linkId, settings.keep());
        for (String id : old) {
            clear(id);
            jdbc.update("delete from reconciliation where id = ?", id);
        }
    }

    private long count(String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }

    private static ContabiliumAccount account(Link link) {
        return new ContabiliumAccount(link.getContabiliumClientId(), link.getContabiliumClientSecret());
    }

    private static String buyer(JsModel.Order order) {
        return order.customer() == null ? null : truncate(order.customer().fullname(), 300);
    }

    private static LocalDate date(String fechaEmision) {
        if (fechaEmision == null || fechaEmision.length() < 10) {
            return null;
        }
        try {
            return LocalDate.parse(fechaEmision.substring(0, 10));
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static java.sql.Date sqlDate(LocalDate date) {
        return date == null ? null : java.sql.Date.valueOf(date);
    }

    private static String money(BigDecimal amount) {
        return ar.connector.receipts.ReceiptText.pesos(amount);
    }

    private static LocalDate min(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }

    private static BigDecimal orZero(BigDecimal value) {
        return value == null ? BigDecimal.ZERO : value;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
