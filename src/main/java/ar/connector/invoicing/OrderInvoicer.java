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
import ar.connector.documents.DocumentLinks;
import ar.connector.contabilium.ContabiliumAccount;
import ar.connector.contabilium.ContabiliumClient;
import ar.connector.invoicing.fiscal.InvoicePlanner;
import ar.connector.invoicing.fiscal.Money;
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
 * manual and bulk runs, retries, other instances) ends here, during a turn of its Contabilium
 * account that holds the account's {@link AccountLease} ({@link InvoicingTurns}: one invoice at a
 * time per account). The order's {@link InvoicePhase}
 * is committed before each remote call that could leave something behind, so after any crash the
 * next attempt knows the single recovery read it needs, and no other call repeats a side effect.
 */
@Component
public class OrderInvoicer {

    private static final Logger log = LoggerFactory.getLogger(OrderInvoicer.class);
    public static final ZoneId BUENOS_AIRES = ZoneId.of("America/Argentina/Buenos_Aires");
    private static final BigDecimal CENT = new BigDecimal("0.01");
    /** ARCA's error 10192: the receptor must be invoiced with Factura de Crédito Electrónica MiPyME. */
    private static final java.util.regex.Pattern FCE_REQUIRED = java.util.regex.Pattern.compile("\\b10192\\b");

    private final LinkRepository links;
    private final OrderRecordRepository records;
    private final OrderAttemptRepository attempts;
    private final JumpsellerClient jumpseller;
    private final ContabiliumClient contabilium;
    private final ContabiliumLookups lookups;
    private final CustomerDirectory customers;
    private final AccountLease lease;
    private final InvoiceRuns runs;
    private final Tx tx;
    private final InvoicePlanner planner;
    private final int maxAttempts;
    private final MeterRegistry meters;
    private final DocumentLinks documentLinks;
    private final int settleAttempts;
    private final Duration settleBackoff;
    private final OrderReservations reservations;
    private final ObjectMapper orderJson = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    public OrderInvoicer(LinkRepository links, OrderRecordRepository records, OrderAttemptRepository attempts,
            JumpsellerClient jumpseller, ContabiliumClient contabilium, ContabiliumLookups lookups,
            CustomerDirectory customers, AccountLease lease, InvoiceRuns runs, Tx tx,
            ConnectorProperties properties, MeterRegistry meters, DocumentLinks documentLinks,
            OrderReservations reservations) {
        this.documentLinks = documentLinks;
        this.reservations = reservations;
        this.links = links;
        this.records = records;
        this.attempts = attempts;
        this.jumpseller = jumpseller;
        this.contabilium = contabilium;
        this.lookups = lookups;
        this.customers = customers;
        this.lease = lease;
        this.runs = runs;
        this.tx = tx;
        this.planner = new InvoicePlanner(properties.fiscal().cfIdentificationThreshold());
        this.maxAttempts = properties.invoicing().maxAttempts();
        this.settleAttempts = properties.invoicing().settleAttempts();
        this.settleBackoff = properties.invoicing().settleBackoff();
        this.meters = meters;
    }

    /**
     * Handles one order message. Throws to have the broker deliver it again later (a transient
     * failure); returns normally once the order reached a state a retry would not change, with
     * that state for the route's next steps (stock reservation, receipt).
     *
     * @param deliveryCount the broker's delivery count of this message (1 on the first delivery)
     */
    public InvoicingOutcome handle(OrderMessage message, Integer deliveryCount) {
        InvoicingOutcome none = InvoicingOutcome.none(message.linkId(), message.orderId());
        Link link = links.findById(message.linkId()).orElse(null);
        if (link == null || !link.isActive()) {
            log.info("Ignoring order {} of link {}: the link is gone or unlinked", message.orderId(), message.linkId());
            return none;
        }
        if (message.runId() != null && runs.isCanceled(message.runId())) {
            return none; // the run was canceled: the order stays as it is
        }
        int delivery = deliveryCount == null ? 1 : deliveryCount;
        JsModel.Order order;
        try {
            order = readOrder(link, message);
        } catch (RuntimeException e) {
            failUnread(link, message, delivery, e);
            return none;
        }
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
            return none;
        }
        if (!message.requested() && link.getStartAfterOrderId() != null && order.id() <= link.getStartAfterOrderId()
                && records.findByLinkIdAndOrderId(link.getId(), order.id()).isEmpty()) {
            // Older than the link and never invoiced here (a bulk run would have recorded it).
            log.debug("Order {} predates link {}: only a bulk run invoices it", order.id(), link.getId());
            return none;
        }
        // Units sold and not yet in Contabilium, for the stock sync; committed on their own, before the
        // long account lock, so stock reflects them while the invoice waits its turn.
        recordReservation(link, order);
        ContabiliumAccount account = new ContabiliumAccount(link.getContabiliumClientId(), link.getContabiliumClientSecret());
        CallMeter.Measured<Void> measured = null;
        try {
            measured = CallMeter.measure("contabilium", () -> {
                process(link, account, order, message, delivery);
                return null;
            });
        } finally {
            if (message.runId() != null) {
                runs.addCalls(message.runId(), measured != null ? measured.calls() : CallMeter.lastCount());
            }
        }
        return records.findByLinkIdAndOrderId(link.getId(), order.id()).map(InvoicingOutcome::of).orElse(none);
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
        if (message.runId() != null && runs.isCanceled(message.runId())) {
            return; // canceled while this order waited for the account: nothing is created for it
        }
        OrderRecord record;
        try {
            record = tx.call(() -> upsert(link, order, message));
        } catch (DataIntegrityViolationException raced) {
            // Recorded a moment ago by another path (a manual request, another instance): update that row.
            record = tx.call(() -> upsert(link, order, message));
        }
        try {
            if (order.isCanceled() || OrderMessage.CREDIT_NOTE.equals(message.source())) {
                canceled(link, account, order, record, message);
            } else if (order.isPaid()) {
                paid(link, account, order, record, message);
            } else if (message.requested() && record.getPhase() == InvoicePhase.NONE && !record.getStatus().isFinal()) {
                update(record, r -> r.setStatus(OrderStatus.SKIPPED,
                        "El pedido no está pagado (estado: " + order.statusEnum() + ")"));
                note(record, message, "SKIPPED", "not paid");
            }
        } catch (AccountLease.LostException e) {
            throw e; // not a failure of the order: whoever holds the account next resumes it
        } catch (ApiCallException e) {
            fail(record, message, delivery, e, !e.is(ApiCallException.Kind.UNAVAILABLE));
        } catch (RuntimeException e) {
            // Anything else (a database hiccup, an unexpected answer): retried like an outage, and marked
            // FAILED on the last delivery, so no paid order ends silently in a dead-letter queue.
            log.warn("Order {} failed unexpectedly", record.getOrderId(), e);
            fail(record, message, delivery, e, false);
        }
    }

    /** The order could not even be read from Jumpseller: retry, and on the last delivery show it FAILED. */
    private void failUnread(Link link, OrderMessage message, int delivery, RuntimeException e) {
        if (delivery < maxAttempts) {
            throw e;
        }
        String reason = e instanceof ApiCallException api && api.is(ApiCallException.Kind.UNAUTHORIZED)
                ? "Jumpseller rechazó las credenciales del vínculo: actualícelas y reintente"
                : "No se pudo leer el pedido de Jumpseller tras " + delivery + " intentos: " + e.getMessage();
        tx.run(() -> {
            OrderRecord record = records.findByLinkIdAndOrderId(link.getId(), message.orderId())
                    .orElseGet(() -> new OrderRecord(link.getId(), message.orderId()));
            if (!record.getStatus().isFinal()) {
                record.setStatus(OrderStatus.FAILED, reason);
            }
            if (message.runId() != null) {
                record.setRunId(message.runId());
            }
            records.save(record);
        });
    }

    private void paid(Link link, ContabiliumAccount account, JsModel.Order order, OrderRecord record, OrderMessage message) {
        if (record.getStatus() == OrderStatus.INVOICED || record.getStatus() == OrderStatus.CREDITED) {
            finishAttachments(link, record);
            return;
        }
        if (record.getStatus() == OrderStatus.SKIPPED && !OrderMessage.MANUAL.equals(message.source())) {
            // Skipped by hand or canceled before invoicing: a late paid event or a bulk run changes nothing;
            // only a person asking for this very order does.
            return;
        }
        // A draft that Contabilium refused (PARKED with DRAFTED) waits for a person; only an answer that
        // never arrived (CREATING, EMITTING) is resumed by whatever message comes next.
        boolean resumable = record.getPhase() == InvoicePhase.CREATING || record.getPhase() == InvoicePhase.EMITTING;
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
        OrderRecord invoiced = advance(DocumentSlot.INVOICE, link, account, order, record, message);
        if (invoiced != null && invoiced.phase(DocumentSlot.INVOICE) == InvoicePhase.ISSUED) {
            finishAttachments(link, invoiced);
        }
    }

    /**
     * A canceled order: SKIPPED when nothing was sent to Contabilium; an invoice half way is finished
     * first (never a half state); an invoiced one gets its credit note, or is parked for a person when
     * automatic credit notes are off.
     */
    private void canceled(Link link, ContabiliumAccount account, JsModel.Order order, OrderRecord record,
            OrderMessage message) {
        if (record.getStatus() == OrderStatus.CREDITED) {
            finishAttachments(link, record);
            return;
        }
        if (record.getPhase() == InvoicePhase.NONE) {
            if (record.getStatus() != OrderStatus.SKIPPED) {
                update(record, r -> r.setStatus(OrderStatus.SKIPPED, "Pedido cancelado antes de facturarse"));
                note(record, message, "SKIPPED", "canceled before invoicing");
            }
            return;
        }
        OrderRecord current = record;
        if (current.getPhase() != InvoicePhase.ISSUED) {
            // An invoice was under way: find out what exists, never start anything new for a canceled order.
            if (current.getPhase() == InvoicePhase.CREATING) {
                current = recoverCreating(DocumentSlot.INVOICE, account, link, current);
            }
            if (current.getPhase() == InvoicePhase.EMITTING) {
                current = recoverEmitting(DocumentSlot.INVOICE, account, current);
            }
            if (current.getPhase() == InvoicePhase.DRAFTED) {
                contabilium.deleteComprobante(account, current.getDraftId());
                current = update(current, r -> {
                    r.draftId(DocumentSlot.INVOICE, null);
                    r.phase(DocumentSlot.INVOICE, InvoicePhase.NONE);
                });
            }
            if (current.getPhase() == InvoicePhase.NONE) {
                update(current, r -> r.setStatus(OrderStatus.SKIPPED,
                        "Pedido cancelado antes de facturarse (se descartó el borrador)"));
                note(current, message, "SKIPPED", "canceled while its invoice was a draft");
                return;
            }
            // ISSUED: the CAE was granted before the cancellation arrived; credit it below.
        }
        boolean creditStarted = current.phase(DocumentSlot.CREDIT_NOTE) != InvoicePhase.NONE;
        if (!link.isAutoCreditNote() && !message.force() && !creditStarted) {
            if (current.getStatus() != OrderStatus.PARKED) {
                park(current, message, "Pedido cancelado después de facturarse (" + current.getInvoiceTipo() + " "
                        + current.getInvoiceNumero() + "): decida si emitir la nota de crédito "
                        + "(POST .../credit-note) o anular la cancelación");
            }
            return;
        }
        OrderRecord credited = advance(DocumentSlot.CREDIT_NOTE, link, account, order, current, message);
        if (credited != null && credited.phase(DocumentSlot.CREDIT_NOTE) == InvoicePhase.ISSUED) {
            finishAttachments(link, credited);
        }
    }

    /** Walks one document through its phases; answers the record, or null when the order was parked. */
    private OrderRecord advance(DocumentSlot slot, Link link, ContabiliumAccount account, JsModel.Order order,
            OrderRecord start, OrderMessage message) {
        OrderRecord record = start;
        if (record.getStatus() != OrderStatus.PENDING && record.getStatus() != OrderStatus.INVOICED) {
            record = update(record, r -> r.setStatus(slot == DocumentSlot.INVOICE ? OrderStatus.PENDING
                    : OrderStatus.INVOICED, null));
        }
        if (record.phase(slot) == InvoicePhase.CREATING) {
            record = recoverCreating(slot, account, link, record);
        }
        if (record.phase(slot) == InvoicePhase.EMITTING) {
            record = recoverEmitting(slot, account, record);
        }
        if (record.phase(slot) == InvoicePhase.DRAFTED
                && !LocalDate.now(BUENOS_AIRES).equals(record.fechaEmision(slot))) {
            record = discardStaleDraft(slot, account, record);
        }
        if (record.phase(slot) == InvoicePhase.NONE) {
            record = slot == DocumentSlot.INVOICE
                    ? draftInvoice(link, account, order, record, message)
                    : draftCreditNote(link, account, record, message);
            if (record == null) {
                return null; // parked
            }
            return requestCae(slot, account, record, message); // the draft was recorded EMITTING
        }
        if (record.phase(slot) == InvoicePhase.DRAFTED) {
            record = emit(slot, account, record, message);
        }
        return record;
    }

    /**
     * A draft dated another day (a retry days later, or past midnight) would reach ARCA with a date it refuses
     * once the point of sale has issued a later one, or once it is too old: it is read back (it may have been
     * issued meanwhile), then removed, and the document is drafted again with today's date.
     */
    private OrderRecord discardStaleDraft(DocumentSlot slot, ContabiliumAccount account, OrderRecord record) {
        OrderRecord checked = recoverEmitting(slot, account, record);
        if (checked.phase(slot) != InvoicePhase.DRAFTED) {
            return checked;
        }
        log.info("Order {}: {} draft {} is dated {}, not today; drafting it again", record.getOrderId(), slot,
                checked.draftId(slot), checked.fechaEmision(slot));
        contabilium.deleteComprobante(account, checked.draftId(slot));
        return update(checked, r -> {
            r.draftId(slot, null);
            r.phase(slot, InvoicePhase.NONE);
        });
    }

    /** Plans the invoice and creates its draft; answers null when the order was parked instead. */
    private OrderRecord draftInvoice(Link link, ContabiliumAccount account, JsModel.Order order, OrderRecord record,
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
        long customerId;
        try {
            customerId = customers.resolve(account, ready.buyer());
        } catch (CustomerDirectory.IncompleteCustomerException incomplete) {
            park(record, message, incomplete.getMessage());
            return null;
        }
        LocalDate today = LocalDate.now(BUENOS_AIRES);
        CbModel.ComprobanteRequest request = new CbModel.ComprobanteRequest(customerId, ready.tipoFc(), "E",
                settings.getPuntoDeVentaId(), settings.getCondicionDeVenta(), 1, settings.getDepositoId(),
                today + "T00:00:00", null, "Pedido Jumpseller #" + order.id(), reference(link, order.id()), null,
                BigDecimal.ZERO, BigDecimal.ZERO, null, null, false, ready.items());
        return createDraft(DocumentSlot.INVOICE, account, record, request, message, customerId, ready.expectedTotal());
    }

    /** A credit note of the invoice's letter for its full amount: the invoice's own lines, associated with it. */
    private OrderRecord draftCreditNote(Link link, ContabiliumAccount account, OrderRecord record, OrderMessage message) {
        CbModel.Comprobante invoice = contabilium.comprobante(account, record.getInvoiceId()).orElse(null);
        if (invoice == null) {
            park(record, message, "La factura " + record.getInvoiceNumero() + " ya no está en Contabilium: "
                    + "no se puede emitir la nota de crédito");
            return null;
        }
        String tipo = "NC" + record.getInvoiceTipo().substring(2);
        LocalDate today = LocalDate.now(BUENOS_AIRES);
        LinkSettings settings = link.getSettings();
        long customerId = invoice.idCliente() != null ? invoice.idCliente() : record.getCustomerId();
        CbModel.ComprobanteRequest request = new CbModel.ComprobanteRequest(customerId, tipo, "E",
                invoice.puntoVenta() != null ? invoice.puntoVenta() : settings.getPuntoDeVentaId(),
                invoice.condicionVenta() != null ? invoice.condicionVenta() : settings.getCondicionDeVenta(), 1,
                settings.getDepositoId(), today + "T00:00:00", null,
                "Anula " + record.getInvoiceTipo() + " " + record.getInvoiceNumero() + " - Pedido Jumpseller #"
                        + record.getOrderId() + " cancelado",
                reference(link, record.getOrderId()) + DocumentSlot.CREDIT_NOTE.referenceSuffix, record.getInvoiceId(),
                BigDecimal.ZERO, BigDecimal.ZERO, null, null, false, invoice.items());
        return createDraft(DocumentSlot.CREDIT_NOTE, account, record, request, message, customerId, null);
    }

    /** @param expectedTotal what the document must total, to compare with Contabilium's; null: no comparison */
    private OrderRecord createDraft(DocumentSlot slot, ContabiliumAccount account, OrderRecord record,
            CbModel.ComprobanteRequest request, OrderMessage message, long customerId, BigDecimal expectedTotal) {
        LocalDate day = LocalDate.parse(request.fechaEmision().substring(0, 10));
        OrderRecord creating = update(record, r -> {
            if (expectedTotal != null) {
                r.setExpectedTotal(expectedTotal);
            }
            lease.checkHeld();
            r.phase(slot, InvoicePhase.CREATING);
            r.fechaEmision(slot, day);
            r.tipo(slot, request.tipoFc());
            r.setCustomerId(customerId);
        });
        long draftId;
        try {
            draftId = contabilium.crear(account, request);
        } catch (ApiCallException e) {
            if (e.is(ApiCallException.Kind.REJECTED)) {
                // A 4xx is a definite "no": nothing was created.
                update(creating, r -> r.phase(slot, InvoicePhase.NONE));
                park(creating, message, "Contabilium rechazó el comprobante: " + e.getMessage());
                return null;
            }
            throw e; // uncertain: the phase stays CREATING and the next attempt looks for the draft
        }
        // Fenced too: a holder whose lease lapsed during crear must not overwrite what a new holder
        // recorded meanwhile. Its draft then stays unrecorded; the phase stays CREATING, and the next
        // attempt finds the draft by its reference.
        // The draft goes straight to EMITTING (emitirFE follows at once): one commit instead of
        // DRAFTED then EMITTING. Interrupted before emitirFE, the next attempt reads the draft back
        // (recoverEmitting) and finds it DRAFTED.
        return update(creating, r -> {
            lease.checkHeld();
            r.draftId(slot, draftId);
            r.phase(slot, InvoicePhase.EMITTING);
        });
    }

    private OrderRecord emit(DocumentSlot slot, ContabiliumAccount account, OrderRecord record, OrderMessage message) {
        OrderRecord emitting = update(record, r -> {
            lease.checkHeld();
            r.phase(slot, InvoicePhase.EMITTING);
        });
        return requestCae(slot, account, emitting, message);
    }

    /** emitirFE for a draft whose EMITTING phase is committed. */
    private OrderRecord requestCae(DocumentSlot slot, ContabiliumAccount account, OrderRecord emitting,
            OrderMessage message) {
        long draftId = emitting.draftId(slot);
        CbModel.Emision emision;
        try {
            emision = contabilium.emitirFE(account, draftId);
        } catch (ApiCallException e) {
            if (e.is(ApiCallException.Kind.REJECTED) || e.is(ApiCallException.Kind.NOT_FOUND)) {
                OrderRecord checked = recoverEmitting(slot, account, emitting);
                if (checked.phase(slot) != InvoicePhase.ISSUED) {
                    park(checked, message, "Contabilium no emitió el comprobante: " + e.getMessage());
                }
                return checked;
            }
            // Uncertain: ARCA may still be granting it. Settle it here, while this account's lock is held,
            // so no other emitirFE of the account starts meanwhile; if it stays unknown, the phase stays
            // EMITTING and the next attempt reads the draft back first.
            // A 5xx is an answer: Contabilium is done with the call, one read tells. No answer at all
            // (a timeout) may mean ARCA is still working: then wait a little for it.
            OrderRecord settled = settleUncertainEmission(slot, account, emitting, e.status() > 0 ? 1 : settleAttempts);
            if (settled != null) {
                return settled;
            }
            throw e;
        }
        if (emision.granted()) {
            return recordIssued(slot, emitting, draftId, emision.numero(), emision.cae(), emision.total(),
                    emision.linkPublico(), message);
        }
        // No CAE. Before deleting anything, make sure the document really has none (an "already issued"
        // answer to a repeated call must never cost an issued invoice).
        OrderRecord checked = recoverEmitting(slot, account, emitting);
        if (checked.phase(slot) == InvoicePhase.ISSUED) {
            return checked;
        }
        // ARCA refused: remove the draft so a corrected retry starts clean.
        contabilium.deleteComprobante(account, draftId);
        OrderRecord cleared = update(emitting, r -> {
            r.draftId(slot, null);
            r.phase(slot, InvoicePhase.NONE);
        });
        park(cleared, message, rejection(emision.error()));
        return cleared;
    }

    /** Why ARCA refused, for the merchant; a refusal that asks for another kind of document says so. */
    private static String rejection(String error) {
        if (error != null && FCE_REQUIRED.matcher(error).find()) {
            return "ARCA exige Factura de Crédito Electrónica MiPyME (FCE) para este comprador y este monto, y el "
                    + "conector no emite FCE: emítala desde Contabilium y marque el pedido como omitido (ARCA: "
                    + error + ")";
        }
        return "ARCA rechazó el comprobante: " + error;
    }

    /**
     * Reads the document back at once and then a few more times with a growing pause (ARCA may still be
     * working on it); answers the record once the CAE shows up, or null while it is still unknown.
     */
    private OrderRecord settleUncertainEmission(DocumentSlot slot, ContabiliumAccount account, OrderRecord record,
            int reads) {
        long pause = settleBackoff.toMillis();
        for (int attempt = 0; attempt < reads; attempt++) {
            if (attempt > 0) {
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return null;
                }
                pause *= 2;
            }
            try {
                CbModel.Comprobante doc = contabilium.comprobante(account, record.draftId(slot)).orElse(null);
                if (doc != null && doc.issued()) {
                    return recordIssued(slot, record, doc.id(), doc.numero(), doc.cae(), doc.importeTotalNeto(),
                            null, null);
                }
            } catch (ApiCallException stillDown) {
                // keep waiting
            }
        }
        return null;
    }

    /**
     * {@code crear} may have created a draft that was never recorded: find it by RefExterna. The draft carries
     * the date committed with the CREATING phase, so only that day is read: Contabilium's search stops at 20
     * pages (1,000 documents), which a busy account's few days could exceed, but not one day of one connector.
     */
    private OrderRecord recoverCreating(DocumentSlot slot, ContabiliumAccount account, Link link, OrderRecord record) {
        String reference = reference(link, record.getOrderId()) + slot.referenceSuffix;
        LocalDate day = record.fechaEmision(slot) == null ? LocalDate.now(BUENOS_AIRES) : record.fechaEmision(slot);
        List<CbModel.Comprobante> found = new ArrayList<>();
        contabilium.forEachComprobante(account, day, day, doc -> {
            if (reference.equals(doc.refExterna())) {
                found.add(doc);
            }
        });
        CbModel.Comprobante issued = found.stream().filter(CbModel.Comprobante::issued).findFirst().orElse(null);
        if (issued != null) {
            found.stream().filter(d -> !d.issued()).forEach(d -> contabilium.deleteComprobante(account, d.id()));
            return recordIssued(slot, record, issued.id(), issued.numero(), issued.cae(), issued.importeTotalNeto(),
                    null, null);
        }
        if (found.isEmpty()) {
            log.info("Order {}: no {} draft was created before the interruption; creating it now",
                    record.getOrderId(), slot);
            return update(record, r -> r.phase(slot, InvoicePhase.NONE));
        }
        CbModel.Comprobante keep = found.get(0);
        found.stream().skip(1).forEach(d -> contabilium.deleteComprobante(account, d.id()));
        log.info("Order {}: found {} draft {} created before the interruption; reusing it", record.getOrderId(), slot,
                keep.id());
        return update(record, r -> {
            r.draftId(slot, keep.id());
            r.phase(slot, InvoicePhase.DRAFTED);
            if (keep.fechaEmision() != null && keep.fechaEmision().length() >= 10) {
                r.fechaEmision(slot, LocalDate.parse(keep.fechaEmision().substring(0, 10)));
            }
        });
    }

    /** {@code emitirFE} may have been granted without us hearing it: read the draft back. */
    private OrderRecord recoverEmitting(DocumentSlot slot, ContabiliumAccount account, OrderRecord record) {
        CbModel.Comprobante doc = contabilium.comprobante(account, record.draftId(slot)).orElse(null);
        if (doc == null) {
            return update(record, r -> {
                r.draftId(slot, null);
                r.phase(slot, InvoicePhase.NONE);
            });
        }
        if (doc.issued()) {
            return recordIssued(slot, record, doc.id(), doc.numero(), doc.cae(), doc.importeTotalNeto(), null, null);
        }
        return update(record, r -> r.phase(slot, InvoicePhase.DRAFTED));
    }

    private OrderRecord recordIssued(DocumentSlot slot, OrderRecord record, long documentId, String numero, String cae,
            BigDecimal total, String pdfUrl, OrderMessage message) {
        BigDecimal amount = total != null ? total : slot == DocumentSlot.INVOICE ? record.getOrderTotal()
                : record.getInvoiceTotal();
        String warning = slot == DocumentSlot.INVOICE ? totalDifference(total, record.getExpectedTotal()) : null;
        // The CAE, its line in the order's history and the mark that the document's POST to Jumpseller
        // is about to go out (finishAttachments) commit together.
        OrderRecord issued = update(record, r -> {
            r.issued(slot, documentId, numero, cae, amount, pdfUrl);
            if (warning != null) {
                r.setWarning(warning);
            }
            attempts.save(attempt(r, message, slot.issuedStatus.name(), r.tipo(slot) + " " + numero + " CAE " + cae));
            r.attachSent(slot, true);
        });
        issued.markIssuedJustNow(slot);
        if (warning != null) {
            log.warn("Order {}: {}", issued.getOrderId(), warning);
        }
        counter(issued, slot.metricOutcome);
        if (slot == DocumentSlot.INVOICE && issued.getPaidSeenAt() != null) {
            Timer.builder("connector.invoice").description("From a paid order seen to its CAE")
                    .register(meters).record(Duration.between(issued.getPaidSeenAt(), Instant.now()));
        }
        return issued;
    }

    /**
     * The invoice exists with its CAE: a total other than the one planned (beyond a cent) is for a person to
     * judge, who may issue a credit note. Contabilium's answer says it; no call is needed.
     */
    private static String totalDifference(BigDecimal issued, BigDecimal expected) {
        if (issued == null || expected == null || issued.subtract(expected).abs().compareTo(CENT) <= 0) {
            return null;
        }
        return "El total de la factura emitida (" + Money.ars(issued) + ") difiere del total del pedido ("
                + Money.ars(expected) + ") en " + Money.ars(issued.subtract(expected).abs()) + ": la factura ya tiene "
                + "CAE; revise si corresponde una nota de crédito";
    }

    /** Attaches issued documents to the Jumpseller order; what fails is attached by a later pass. */
    private void finishAttachments(Link link, OrderRecord record) {
        OrderRecord current = record;
        for (DocumentSlot slot : DocumentSlot.values()) {
            if (current.phase(slot) != InvoicePhase.ISSUED || current.attached(slot)) {
                continue;
            }
            boolean invoice = slot == DocumentSlot.INVOICE;
            String url = documentLinks.url(invoice ? current.getInvoicePdfUrl() : current.getCreditPdfUrl(),
                    link.getId(), current.getOrderId(), slot).orElse(null);
            String externalId = String.valueOf(invoice ? current.getInvoiceId() : current.getCreditId());
            try {
                if (current.attachSent(slot) && !current.issuedJustNow(slot)) {
                    // An earlier POST's answer never came: Jumpseller may hold the document already, and a
                    // second one would show the buyer the invoice twice.
                    boolean there = jumpseller.documents(WebhookRegistrar.credentials(link), current.getOrderId())
                            .stream().anyMatch(d -> d.is(slot.jumpsellerDocumentType, externalId));
                    if (there) {
                        current = update(current, r -> r.attached(slot, true));
                        continue;
                    }
                } else if (!current.attachSent(slot)) {
                    current = update(current, r -> r.attachSent(slot, true));
                }
                jumpseller.attachDocument(WebhookRegistrar.credentials(link), current.getOrderId(),
                        slot.jumpsellerDocumentType, externalId,
                        invoice ? current.getInvoiceNumero() : current.getCreditNumero(), url);
                current = update(current, r -> r.attached(slot, true));
            } catch (ApiCallException e) {
                log.warn("{} of order {} not yet attached in Jumpseller: {}", slot, current.getOrderId(), e.getMessage());
            }
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

    /**
     * The fair-invoicing backlog gives up on an order that kept failing outside {@link #fail} (the
     * steps after invoicing, an unexpected error before the order was read): shown FAILED unless it
     * was settled otherwise (invoiced, parked, skipped), so no paid order disappears silently.
     */
    public void giveUp(OrderMessage message, String reason) {
        tx.run(() -> {
            OrderRecord record = records.findByLinkIdAndOrderId(message.linkId(), message.orderId())
                    .orElseGet(() -> new OrderRecord(message.linkId(), message.orderId()));
            if (record.getStatus() == OrderStatus.PENDING) {
                record.setStatus(OrderStatus.FAILED, reason);
                record.touch();
                records.save(record);
            }
        });
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
        if (order.isCanceled() && record.getCanceledAt() == null) {
            record.setCanceledAt(Instant.now());
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
        tx.run(() -> attempts.save(attempt(record, message, outcome, detail)));
    }

    private static OrderAttempt attempt(OrderRecord record, OrderMessage message, String outcome, String detail) {
        return new OrderAttempt(record.getId(), message == null ? "recovery" : message.source(), outcome, detail);
    }

    /** The store code a metric is tagged with, by link id: read once a minute, not once per order. */
    private final TtlCache<Long, String> storeCodes = new TtlCache<>(java.time.Duration.ofMinutes(1), 10_000);

    private void counter(OrderRecord record, String outcome) {
        String store = storeCodes.computeIfAbsent(record.getLinkId(),
                id -> links.findById(id).map(Link::getJumpsellerStoreCode).orElse("?"));
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
