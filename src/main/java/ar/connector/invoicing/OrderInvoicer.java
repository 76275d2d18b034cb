package ar.connector.invoicing;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import ar.connector.api.ApiCallException;
import ar.connector.api.CallMeter;
import ar.connector.config.ConnectorProperties;
import ar.connector.contabilium.CbModel;
import ar.connector.contabilium.ContabiliumAccount;
import ar.connector.contabilium.ContabiliumClient;
import ar.connector.invoicing.fiscal.InvoicePlanner;
import ar.connector.invoicing.fiscal.Plan;
import ar.connector.invoicing.fiscal.PlanSettings;
import ar.connector.jumpseller.JsModel;
import ar.connector.jumpseller.JumpsellerClient;
import ar.connector.links.Link;
import ar.connector.links.LinkRepository;
import ar.connector.links.LinkSettings;
import ar.connector.sync.OrderReservations;
import ar.connector.webhooks.WebhookRegistrar;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Turns a paid order into exactly one invoice (SPEC §4, §5). Every path (webhook copies, the poll,
 * manual and bulk runs, redeliveries, other instances) ends here, and here work on one Contabilium
 * account is serialised by {@link AccountLock}. Inside the lock the order's {@link InvoicePhase}
 * is committed before each remote call that could leave something behind, so after any crash the
 * next attempt knows the single recovery read it needs, and no other call repeats a side effect.
 */
@Component
public class OrderInvoicer {

    private static final Logger log = LoggerFactory.getLogger(OrderInvoicer.class);
    public static final ZoneId BUENOS_AIRES = ZoneId.of("America/Argentina/Buenos_Aires");

    private final LinkRepository links;
    private final OrderRecordRepository records;
    private final OrderAttemptRepository attempts;
    private final JumpsellerClient jumpseller;
    private final ContabiliumClient contabilium;
    private final ContabiliumLookups lookups;
    private final CustomerDirectory customers;
    private final AccountLock accountLock;
    private final InvoiceRuns runs;
    private final Tx tx;
    private final InvoicePlanner planner;
    private final int maxAttempts;
    private final MeterRegistry meters;
    private final OrderReservations reservations;
    private final List<Consumer<OrderRecord>> issuedListeners = new ArrayList<>();
    private final ObjectMapper orderJson = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    public OrderInvoicer(LinkRepository links, OrderRecordRepository records, OrderAttemptRepository attempts,
            JumpsellerClient jumpseller, ContabiliumClient contabilium, ContabiliumLookups lookups,
            CustomerDirectory customers, AccountLock accountLock, InvoiceRuns runs, Tx tx,
            ConnectorProperties properties, MeterRegistry meters, OrderReservations reservations) {
        this.links = links;
        this.records = records;
        this.attempts = attempts;
        this.jumpseller = jumpseller;
        this.contabilium = contabilium;
        this.lookups = lookups;
        this.customers = customers;
        this.accountLock = accountLock;
        this.runs = runs;
        this.tx = tx;
        this.planner = new InvoicePlanner(properties.fiscal().cfIdentificationThreshold());
        this.maxAttempts = properties.invoicing().maxAttempts();
        this.meters = meters;
        this.reservations = reservations;
    }

    /** Called when an invoice was granted and recorded (receipts hook in here). */
    public void onIssued(Consumer<OrderRecord> listener) {
        issuedListeners.add(listener);
    }

    /**
     * Handles one order message. Throws to have the broker deliver it again later (a transient
     * failure); returns normally once the order reached a state a retry would not change.
     *
     * @param deliveryCount the broker's delivery count of this message (1 on the first delivery)
     */
    public void handle(OrderMessage message, Integer deliveryCount) {
        Link link = links.findById(message.linkId()).orElse(null);
        if (link == null || !link.isActive()) {
            log.info("Ignoring order {} of link {}: the link is gone or unlinked", message.orderId(), message.linkId());
            return;
        }
        if (message.runId() != null && runs.isCanceled(message.runId())) {
            return; // the run was canceled: the order stays as it is
        }
        JsModel.Order order = readOrder(link, message);
        if (order == null) {
            log.warn("Order {} of store {} does not exist in Jumpseller", message.orderId(), link.getJumpsellerStoreCode());
            if (message.requested()) {
                tx.run(() -> {
                    OrderRecord missing = records.findByLinkIdAndOrderId(link.getId(), message.orderId())
                            .orElseGet(() -> new OrderRecord(link.getId(), message.orderId()));
                    if (missing.getPhase() == InvoicePhase.NONE && !missing.getStatus().isFinal()) {
                        missing.setStatus(OrderStatus.SKIPPED, "El pedido no existe en Jumpseller");
                    }
                    missing.setRunId(message.runId());
                    records.save(missing);
                });
            }
            return;
        }
        if (!message.requested() && link.getStartAfterOrderId() != null && order.id() <= link.getStartAfterOrderId()) {
            log.debug("Order {} predates link {}: only a bulk run invoices it", order.id(), link.getId());
            return;
        }
        int delivery = deliveryCount == null ? 1 : deliveryCount;
        ContabiliumAccount account = new ContabiliumAccount(link.getContabiliumClientId(), link.getContabiliumClientSecret());
        CallMeter.Measured<Void> measured = null;
        try {
            measured = CallMeter.measure("contabilium", () -> {
                accountLock.withLock(account.clientId(), () -> {
                    process(link, account, order, message, delivery);
                    return null;
                });
                return null;
            });
        } finally {
            if (message.runId() != null) {
                runs.addCalls(message.runId(), measured != null ? measured.calls() : CallMeter.lastCount());
            }
        }
    }

    private JsModel.Order readOrder(Link link, OrderMessage message) {
        if (message.order() != null && message.order().hasNonNull("id")) {
            try {
                return orderJson.treeToValue(message.order(), JsModel.Order.class);
            } catch (Exception e) {
                log.warn("Order {} in the message cannot be read ({}); reading it from Jumpseller", message.orderId(),
                        e.getClass().getSimpleName());
            }
        }
        return jumpseller.order(WebhookRegistrar.credentials(link), message.orderId()).orElse(null);
    }

    private void process(Link link, ContabiliumAccount account, JsModel.Order order, OrderMessage message, int delivery) {
        OrderRecord record;
        try {
            record = tx.call(() -> upsert(link, order, message));
        } catch (DataIntegrityViolationException raced) {
            // Recorded a moment ago by another path (a manual request, another instance): update that row.
            record = tx.call(() -> upsert(link, order, message));
        }
        recordReservation(link, order);
        if (order.isCanceled()) {
            if (record.getPhase() == InvoicePhase.NONE && record.getStatus() != OrderStatus.INVOICED
                    && record.getStatus() != OrderStatus.CREDITED && record.getStatus() != OrderStatus.SKIPPED) {
                update(record, r -> r.setStatus(OrderStatus.SKIPPED, "Pedido cancelado antes de facturarse"));
                note(record, message, "SKIPPED", "canceled before invoicing");
                return;
            }
            if (record.getPhase() == InvoicePhase.NONE || record.getStatus().isFinal()) {
                return; // invoiced orders canceled later are the credit-notes flow's
            }
            // An invoice is half way: finish it, so the order never stays in a half state.
        } else if (!order.isPaid()) {
            if (message.requested() && record.getPhase() == InvoicePhase.NONE && !record.getStatus().isFinal()) {
                update(record, r -> r.setStatus(OrderStatus.SKIPPED,
                        "El pedido no está pagado (estado: " + order.statusEnum() + ")"));
                note(record, message, "SKIPPED", "not paid");
            }
            return;
        }
        if (record.getStatus() == OrderStatus.INVOICED || record.getStatus() == OrderStatus.CREDITED) {
            if (!record.isInvoiceAttached()) {
                attach(link, record);
            }
            return;
        }
        if (record.getStatus() == OrderStatus.SKIPPED && !(message.force() && order.isPaid())) {
            return;
        }
        boolean resumable = record.getPhase() != InvoicePhase.NONE;
        if ((record.getStatus() == OrderStatus.PARKED || record.getStatus() == OrderStatus.FAILED) && !message.force()
                && !resumable) {
            return;
        }
        if (!message.requested() && !link.getSettings().isAutoInvoice() && !resumable) {
            if (record.getStatus() != OrderStatus.PENDING) {
                update(record, r -> r.setStatus(OrderStatus.PENDING, null));
            }
            return; // waits for a manual or bulk run
        }
        if (message.force()) {
            lookups.forgetMissing();
        }
        try {
            advance(link, account, order, record, message);
        } catch (ApiCallException e) {
            fail(record, message, delivery, e, !e.is(ApiCallException.Kind.UNAVAILABLE));
        } catch (ContabiliumClient.DuplicateCustomerException | IllegalStateException e) {
            fail(record, message, delivery, e, false);
        }
    }

    private void advance(Link link, ContabiliumAccount account, JsModel.Order order, OrderRecord start, OrderMessage message) {
        OrderRecord record = start;
        if (record.getStatus() != OrderStatus.PENDING) {
            record = update(record, r -> r.setStatus(OrderStatus.PENDING, null));
        }
        if (record.getPhase() == InvoicePhase.CREATING) {
            record = recoverCreating(account, link, record);
        }
        if (record.getPhase() == InvoicePhase.EMITTING) {
            record = recoverEmitting(account, record);
        }
        if (record.getPhase() == InvoicePhase.NONE) {
            if (order.isCanceled()) {
                update(record, r -> r.setStatus(OrderStatus.SKIPPED, "Pedido cancelado antes de facturarse"));
                return;
            }
            record = draft(link, account, order, record, message);
            if (record == null) {
                return; // parked
            }
        }
        if (record.getPhase() == InvoicePhase.DRAFTED) {
            record = emit(account, record, message);
        }
        if (record.getPhase() == InvoicePhase.ISSUED && !record.isInvoiceAttached()) {
            attach(link, record);
        }
    }

    /** Plans the invoice and creates its draft; answers null when the order was parked instead. */
    private OrderRecord draft(Link link, ContabiliumAccount account, JsModel.Order order, OrderRecord record,
            OrderMessage message) {
        LinkSettings settings = link.getSettings();
        Plan plan = planner.plan(order,
                new PlanSettings(settings.isIncludeShippingCost(), settings.getShippingConceptCode(), settings.getDefaultIva()),
                lookups.sellerCondicionIva(account), sku -> lookups.product(account, sku));
        if (plan instanceof Plan.Park park) {
            park(record, message, park.reason());
            return null;
        }
        Plan.Ready ready = (Plan.Ready) plan;
        long customerId = customers.resolve(account, ready.buyer());
        LocalDate today = LocalDate.now(BUENOS_AIRES);
        CbModel.ComprobanteRequest request = new CbModel.ComprobanteRequest(customerId, ready.tipoFc(), "E",
                settings.getPuntoDeVentaId(), settings.getCondicionDeVenta(), 1, settings.getDepositoId(),
                today + "T00:00:00", null, "Pedido Jumpseller #" + order.id(), reference(link, order.id()), null,
                BigDecimal.ZERO, BigDecimal.ZERO, null, null, false, ready.items());
        OrderRecord creating = update(record, r -> {
            r.setPhase(InvoicePhase.CREATING);
            r.setFechaEmision(today);
            r.setInvoiceTipo(ready.tipoFc());
        });
        long draftId;
        try {
            draftId = contabilium.crear(account, request);
        } catch (ApiCallException e) {
            if (e.is(ApiCallException.Kind.REJECTED)) {
                // A 4xx is a definite "no": nothing was created.
                update(creating, r -> r.setPhase(InvoicePhase.NONE));
                park(creating, message, "Contabilium rechazó el comprobante: " + e.getMessage());
                return null;
            }
            throw e; // uncertain: the phase stays CREATING and the next attempt looks for the draft
        }
        return update(creating, r -> {
            r.setDraftId(draftId);
            r.setPhase(InvoicePhase.DRAFTED);
        });
    }

    private OrderRecord emit(ContabiliumAccount account, OrderRecord record, OrderMessage message) {
        OrderRecord emitting = update(record, r -> r.setPhase(InvoicePhase.EMITTING));
        CbModel.Emision emision;
        try {
            emision = contabilium.emitirFE(account, emitting.getDraftId());
        } catch (ApiCallException e) {
            if (e.is(ApiCallException.Kind.REJECTED) || e.is(ApiCallException.Kind.NOT_FOUND)) {
                OrderRecord checked = recoverEmitting(account, emitting);
                if (checked.getPhase() != InvoicePhase.ISSUED) {
                    park(checked, message, "Contabilium no emitió el comprobante: " + e.getMessage());
                }
                return checked;
            }
            throw e; // uncertain: the phase stays EMITTING and the next attempt reads the draft back
        }
        if (emision.granted()) {
            return recordIssued(emitting, emitting.getDraftId(), emision.numero(), emision.cae(),
                    emision.total(), emision.linkPublico(), message);
        }
        // ARCA refused: remove the draft so a corrected retry starts clean.
        contabilium.deleteComprobante(account, emitting.getDraftId());
        OrderRecord cleared = update(emitting, r -> {
            r.setDraftId(null);
            r.setPhase(InvoicePhase.NONE);
        });
        park(cleared, message, "ARCA rechazó el comprobante: " + emision.error());
        return cleared;
    }

    /** {@code crear} may have created a draft that was never recorded: find it by RefExterna. */
    private OrderRecord recoverCreating(ContabiliumAccount account, Link link, OrderRecord record) {
        String reference = reference(link, record.getOrderId());
        LocalDate day = record.getFechaEmision() == null ? LocalDate.now(BUENOS_AIRES) : record.getFechaEmision();
        List<CbModel.Comprobante> found = new ArrayList<>();
        contabilium.forEachComprobante(account, day.minusDays(1), day.plusDays(1), doc -> {
            if (reference.equals(doc.refExterna())) {
                found.add(doc);
            }
        });
        CbModel.Comprobante issued = found.stream().filter(CbModel.Comprobante::issued).findFirst().orElse(null);
        if (issued != null) {
            found.stream().filter(d -> !d.issued()).forEach(d -> contabilium.deleteComprobante(account, d.id()));
            return recordIssued(record, issued.id(), issued.numero(), issued.cae(), issued.importeTotalNeto(), null, null);
        }
        if (found.isEmpty()) {
            log.info("Order {}: no draft was created before the interruption; creating it now", record.getOrderId());
            return update(record, r -> r.setPhase(InvoicePhase.NONE));
        }
        CbModel.Comprobante keep = found.get(0);
        found.stream().skip(1).forEach(d -> contabilium.deleteComprobante(account, d.id()));
        log.info("Order {}: found draft {} created before the interruption; reusing it", record.getOrderId(), keep.id());
        return update(record, r -> {
            r.setDraftId(keep.id());
            r.setPhase(InvoicePhase.DRAFTED);
        });
    }

    /** {@code emitirFE} may have been granted without us hearing it: read the draft back. */
    private OrderRecord recoverEmitting(ContabiliumAccount account, OrderRecord record) {
        CbModel.Comprobante doc = contabilium.comprobante(account, record.getDraftId()).orElse(null);
        if (doc == null) {
            return update(record, r -> {
                r.setDraftId(null);
                r.setPhase(InvoicePhase.NONE);
            });
        }
        if (doc.issued()) {
            return recordIssued(record, doc.id(), doc.numero(), doc.cae(), doc.importeTotalNeto(), null, null);
        }
        return update(record, r -> r.setPhase(InvoicePhase.DRAFTED));
    }

    private OrderRecord recordIssued(OrderRecord record, long invoiceId, String numero, String cae, BigDecimal total,
            String pdfUrl, OrderMessage message) {
        BigDecimal amount = total != null ? total : record.getOrderTotal();
        OrderRecord issued = update(record, r -> r.issued(invoiceId, r.getInvoiceTipo(), numero, cae, amount, pdfUrl));
        note(issued, message, "INVOICED", issued.getInvoiceTipo() + " " + numero + " CAE " + cae);
        counter(issued, "invoiced");
        if (issued.getPaidSeenAt() != null) {
            Timer.builder("connector.invoice").description("From a paid order seen to its CAE")
                    .register(meters).record(Duration.between(issued.getPaidSeenAt(), Instant.now()));
        }
        issuedListeners.forEach(listener -> listener.accept(issued));
        return issued;
    }

    private void attach(Link link, OrderRecord record) {
        try {
            jumpseller.attachDocument(WebhookRegistrar.credentials(link), record.getOrderId(), 1,
                    String.valueOf(record.getInvoiceId()), record.getInvoiceNumero(), record.getInvoicePdfUrl());
            update(record, r -> r.setInvoiceAttached(true));
        } catch (ApiCallException e) {
            // The invoice stands; the poll attaches it later.
            log.warn("Invoice of order {} not yet attached in Jumpseller: {}", record.getOrderId(), e.getMessage());
        }
    }

    private void park(OrderRecord record, OrderMessage message, String reason) {
        update(record, r -> r.setStatus(OrderStatus.PARKED, reason));
        note(record, message, "PARKED", reason);
        counter(record, "parked");
        log.info("Order {} parked: {}", record.getOrderId(), reason);
    }

    /** A failure: definite ones park now; transient ones are retried by the broker until the last attempt. */
    private void fail(OrderRecord record, OrderMessage message, int delivery, RuntimeException e, boolean definite) {
        String detail = e.getMessage();
        if (e instanceof ApiCallException api && api.is(ApiCallException.Kind.UNAUTHORIZED)) {
            park(record, message, "Las credenciales fueron rechazadas (" + api.api() + "): actualícelas en el vínculo");
            return;
        }
        if (definite) {
            park(record, message, detail);
            return;
        }
        if (delivery >= maxAttempts) {
            OrderRecord fresh = records.findById(record.getId()).orElse(record);
            update(fresh, r -> r.setStatus(OrderStatus.FAILED, "Falló tras " + delivery + " intentos: " + detail));
            note(fresh, message, "FAILED", detail);
            counter(fresh, "failed");
            return;
        }
        note(record, message, "RETRY", detail);
        throw e;
    }

    private OrderRecord upsert(Link link, JsModel.Order order, OrderMessage message) {
        OrderRecord record = records.findByLinkIdAndOrderId(link.getId(), order.id()).orElse(null);
        if (record == null) {
            record = new OrderRecord(link.getId(), order.id());
        }
        record.setBuyerName(buyerName(order));
        record.setBuyerEmail(order.customer() == null ? null : order.customer().email());
        record.setOrderTotal(order.total());
        if (order.createdAtTime().isPresent()) {
            record.setOrderCreatedAt(order.createdAtTime().get().toInstant());
        }
        if (order.isPaid() && record.getPaidSeenAt() == null) {
            record.setPaidSeenAt(Instant.now());
        }
        if (message.runId() != null) {
            record.setRunId(message.runId());
        }
        return records.saveAndFlush(record);
    }

    /** The order's units, so stock pushed to the stores leaves them out until a draft moves the stock. */
    private void recordReservation(Link link, JsModel.Order order) {
        try {
            reservations.record(link.getId(), order);
        } catch (RuntimeException e) {
            // Invoicing goes on: the order's webhook or the next poll records the units again.
            log.warn("Units of order {} not recorded for the stock sync: {}", order.id(), e.getMessage());
        }
    }

    private OrderRecord update(OrderRecord record, Consumer<OrderRecord> change) {
        return tx.call(() -> {
            OrderRecord fresh = records.findById(record.getId()).orElseThrow();
            change.accept(fresh);
            fresh.touch();
            return records.save(fresh);
        });
    }

    private void note(OrderRecord record, OrderMessage message, String outcome, String detail) {
        tx.run(() -> attempts.save(new OrderAttempt(record.getId(), message == null ? "recovery" : message.source(),
                outcome, detail)));
    }

    private void counter(OrderRecord record, String outcome) {
        String store = links.findById(record.getLinkId()).map(Link::getJumpsellerStoreCode).orElse("?");
        Counter.builder("connector.invoices").description("Orders by invoicing outcome")
                .tag("store", store).tag("outcome", outcome).register(meters).increment();
    }

    public static String reference(Link link, long orderId) {
        return "jumpseller:" + link.getJumpsellerStoreCode() + ":" + orderId;
    }

    private static String buyerName(JsModel.Order order) {
        if (order.billingInformation() != null && order.billingInformation().companyName() != null
                && !order.billingInformation().companyName().isBlank()) {
            return order.billingInformation().companyName();
        }
        if (order.customer() != null && order.customer().fullname() != null) {
            return order.customer().fullname();
        }
        if (order.billingAddress() != null) {
            return ((order.billingAddress().name() == null ? "" : order.billingAddress().name()) + " "
                    + (order.billingAddress().surname() == null ? "" : order.billingAddress().surname())).trim();
        }
        return null;
    }
}
