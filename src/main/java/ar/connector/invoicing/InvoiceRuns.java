package ar.connector.invoicing;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;

import ar.connector.jumpseller.JsModel;
import ar.connector.jumpseller.JumpsellerClient;
import ar.connector.links.Link;
import ar.connector.links.LinkRepository;
import ar.connector.web.ApiException;
import ar.connector.web.FieldError;
import ar.connector.webhooks.WebhookRegistrar;

/**
 * Bulk invoicing over a date range or a list of orders (SPEC §3.2). A run is enumerated one
 * Jumpseller page at a time, each page a message of its own on the broker, and each order then
 * travels as an ordinary order message: memory stays flat however many orders a run has, and a
 * run survives a restart. Counts are read from the order log, so they are never out of step.
 */
@Component
public class InvoiceRuns {

    private static final Logger log = LoggerFactory.getLogger(InvoiceRuns.class);
    static final int MAX_ORDER_IDS = 1000;

    private final JdbcTemplate jdbc;
    private final LinkRepository links;
    private final JumpsellerClient jumpseller;
    private final OrderQueue queue;
    private final ObjectMapper mapper;
    private final ConceptCatalogue catalogue;

    public InvoiceRuns(JdbcTemplate jdbc, LinkRepository links, JumpsellerClient jumpseller,
            @org.springframework.context.annotation.Lazy OrderQueue queue, ObjectMapper mapper,
            ConceptCatalogue catalogue) {
        this.jdbc = jdbc;
        this.links = links;
        this.jumpseller = jumpseller;
        this.queue = queue;
        this.mapper = mapper;
        this.catalogue = catalogue;
    }

    public record RunRequest(LocalDate from, LocalDate to, List<Long> orderIds) {
    }

    public record RunView(String runId, long linkId, LocalDate from, LocalDate to, String state, int total,
            Map<String, Long> counts, long invoiced, long parked, long failed, long skipped, long pending,
            long contabiliumCalls, Double contabiliumCallsPerInvoice, Instant createdAt, Instant finishedAt) {
    }

    public String start(long linkId, RunRequest request) {
        Link link = links.findById(linkId).filter(Link::isActive)
                .orElseThrow(() -> ApiException.notFound("No active link with id " + linkId));
        List<FieldError> errors = new ArrayList<>();
        boolean byDates = request.from() != null || request.to() != null;
        boolean byIds = request.orderIds() != null;
        if (byDates == byIds) {
            errors.add(new FieldError("from", "give either from and to, or orderIds"));
        } else if (byDates) {
            if (request.from() == null) {
                errors.add(new FieldError("from", "must be a date (yyyy-MM-dd)"));
            }
            if (request.to() == null) {
                errors.add(new FieldError("to", "must be a date (yyyy-MM-dd)"));
            }
            if (request.from() != null && request.to() != null && request.to().isBefore(request.from())) {
                errors.add(new FieldError("to", "must not be before from"));
            }
        } else if (request.orderIds().isEmpty() || request.orderIds().size() > MAX_ORDER_IDS) {
            errors.add(new FieldError("orderIds", "must hold between 1 and " + MAX_ORDER_IDS + " order ids"));
        } else if (request.orderIds().stream().anyMatch(id -> id == null || id <= 0)) {
            errors.add(new FieldError("orderIds", "must be positive order ids"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        String runId = UUID.randomUUID().toString();
        String ids = byIds ? request.orderIds().stream().distinct().map(String::valueOf).collect(Collectors.joining(","))
                : null;
        jdbc.update("insert into invoice_run (id, link_id, date_from, date_to, order_ids, state, created_at) "
                + "values (?, ?, ?, ?, ?, 'RUNNING', ?)", runId, link.getId(), request.from(), request.to(), ids,
                java.sql.Timestamp.from(Instant.now()));
        try {
            queue.sendRunPage(new RunPage(runId, 1));
        } catch (RuntimeException e) {
            jdbc.update("update invoice_run set state = 'FAILED', finished_at = ? where id = ?",
                    java.sql.Timestamp.from(Instant.now()), runId);
            throw new ApiException(org.springframework.http.HttpStatus.SERVICE_UNAVAILABLE,
                    "The run could not be queued (" + e.getClass().getSimpleName() + "); try again");
        }
        log.info("Invoice run {} started for link {} ({})", runId, linkId,
                byIds ? request.orderIds().size() + " orders" : request.from() + ".." + request.to());
        return runId;
    }

    /** One enumerated page of a run: its orders, to be split onto the orders queue, and whether it was the last. */
    public record Page(String runId, int page, List<OrderMessage> orders, boolean last) {
    }

    /**
     * Enumerates one page of a run (the {@code invoice-run} route's first step), or answers null when
     * the run is gone, canceled or done. The page number travels in the message, so a page whose sends
     * were rolled back is simply enumerated again when the broker redelivers it (its orders queued twice
     * at worst, which the invoicing flow absorbs).
     */
    public Page page(RunPage runPage) {
        String runId = runPage.runId();
        List<Map<String, Object>> rows = jdbc.queryForList("select * from invoice_run where id = ?", runId);
        if (rows.isEmpty()) {
            return null;
        }
        Map<String, Object> run = rows.get(0);
        if (!"RUNNING".equals(run.get("state"))) {
            return null;
        }
        Link link = links.findById(((Number) run.get("link_id")).longValue()).orElse(null);
        if (link == null || !link.isActive()) {
            jdbc.update("update invoice_run set state = 'CANCELED', finished_at = ? where id = ?",
                    java.sql.Timestamp.from(Instant.now()), runId);
            return null;
        }
        String ids = (String) run.get("order_ids");
        if (ids != null) {
            // A list is enqueued in one go: each order is read from Jumpseller by the invoicing flow.
            return prepared(link, new Page(runId, runPage.page(), List.of(ids.split(",")).stream()
                    .map(id -> bulk(link, Long.parseLong(id), runId)).toList(), true));
        }
        LocalDate from = localDate(run.get("date_from"));
        LocalDate to = localDate(run.get("date_to"));
        JsModel.OrderPage orders = jumpseller.searchOrders(WebhookRegistrar.credentials(link), "paid", from, to,
                runPage.page());
        // Without the page's snapshot: the flow reads the order when its turn comes, so an order canceled
        // while the run waits is seen canceled.
        return prepared(link, new Page(runId, runPage.page(), orders.orders().stream().map(o -> bulk(link, o.id(), runId)).toList(),
                orders.orders().size() < JumpsellerClient.PAGE_SIZE));
    }

    /**
     * When a run of several orders starts, reads the account's catalogue of concepts (a page of 50 a
     * call, bounded), so its orders' SKUs are not asked for one by one; the calls count for the run.
     * A failed read only means the SKUs are asked for one by one.
     */
    private Page prepared(Link link, Page page) {
        if (page.page() != 1 || page.orders().size() < ConceptCatalogue.MANY_MISSES) {
            return page;
        }
        ar.connector.contabilium.ContabiliumAccount account = new ar.connector.contabilium.ContabiliumAccount(
                link.getContabiliumClientId(), link.getContabiliumClientSecret());
        try {
            long calls = ar.connector.api.CallMeter.measure("contabilium", () -> catalogue.fill(account)).calls();
            addCalls(page.runId(), calls);
        } catch (RuntimeException e) {
            log.warn("Run {}: the catalogue of concepts could not be read ({}); SKUs are looked up one by one",
                    page.runId(), e.getMessage());
        }
        return page;
    }

    /**
     * Records a page as enumerated once its orders are queued. A redelivered page may have queued its
     * orders twice: the invoicing flow makes that harmless, and the run's counts read the order log.
     */
    public void enumerated(Page page) {
        jdbc.update("update invoice_run set total = total + ?, next_page = ?, enumerated = ? where id = ? and next_page = ?",
                page.orders().size(), page.page() + 1, page.last(), page.runId(), page.page());
    }

    /** The run's next-page decision (the route's {@code invoice-run-next-page} filter). */
    public boolean queueNextPage(Page page) {
        return !page.last();
    }

    public RunPage nextPage(Page page) {
        return new RunPage(page.runId(), page.page() + 1);
    }

    private static OrderMessage bulk(Link link, long orderId, String runId) {
        return new OrderMessage(link.getId(), orderId, OrderMessage.BULK, true, runId, null);
    }

    public boolean isCanceled(String runId) {
        List<String> state = jdbc.queryForList("select state from invoice_run where id = ?", String.class, runId);
        return !state.isEmpty() && "CANCELED".equals(state.get(0));
    }

    public void addCalls(String runId, long calls) {
        if (calls > 0) {
            jdbc.update("update invoice_run set contabilium_calls = contabilium_calls + ? where id = ?", calls, runId);
        }
    }

    public RunView view(String runId) {
        List<Map<String, Object>> rows = jdbc.queryForList("select * from invoice_run where id = ?", runId);
        if (rows.isEmpty()) {
            throw ApiException.notFound("No invoice run " + runId);
        }
        Map<String, Object> run = rows.get(0);
        Map<OrderStatus, Long> counts = new EnumMap<>(OrderStatus.class);
        for (OrderStatus status : OrderStatus.values()) {
            counts.put(status, 0L);
        }
        jdbc.query("select status, count(*) from order_record where run_id = ? group by status", rs -> {
            counts.put(OrderStatus.valueOf(rs.getString(1)), rs.getLong(2));
        }, runId);
        String state = (String) run.get("state");
        boolean enumerated = Boolean.TRUE.equals(run.get("enumerated"));
        long recorded = counts.values().stream().mapToLong(Long::longValue).sum();
        int total = ((Number) run.get("total")).intValue();
        long pending = counts.get(OrderStatus.PENDING) + Math.max(0, total - recorded);
        Instant finishedAt = instant(run.get("finished_at"));
        if ("RUNNING".equals(state) && enumerated && pending == 0) {
            state = "DONE";
            finishedAt = Instant.now();
            jdbc.update("update invoice_run set state = 'DONE', finished_at = ? where id = ? and state = 'RUNNING'",
                    java.sql.Timestamp.from(finishedAt), runId);
        }
        long calls = ((Number) run.get("contabilium_calls")).longValue();
        long invoiced = counts.get(OrderStatus.INVOICED) + counts.get(OrderStatus.CREDITED);
        Map<String, Long> byName = counts.entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().name(), Map.Entry::getValue, (a, b) -> a, java.util.LinkedHashMap::new));
        return new RunView(runId, ((Number) run.get("link_id")).longValue(),
                localDate(run.get("date_from")), localDate(run.get("date_to")),
                state, total, byName, invoiced, counts.get(OrderStatus.PARKED), counts.get(OrderStatus.FAILED),
                counts.get(OrderStatus.SKIPPED), pending, calls, invoiced == 0 ? null : (double) calls / invoiced,
                instant(run.get("created_at")), finishedAt);
    }

    public RunView cancel(String runId) {
        view(runId);
        jdbc.update("update invoice_run set state = 'CANCELED', finished_at = ? where id = ? and state = 'RUNNING'",
                java.sql.Timestamp.from(Instant.now()), runId);
        return view(runId);
    }

    /** A timestamp-with-time-zone column as the driver hands it: H2 gives OffsetDateTime, PostgreSQL Timestamp. */
    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (value instanceof java.time.ZonedDateTime zoned) {
            return zoned.toInstant();
        }
        return (Instant) value;
    }

    private static LocalDate localDate(Object value) {
        if (value == null) {
            return null;
        }
        return value instanceof java.sql.Date date ? date.toLocalDate() : (LocalDate) value;
    }
}
