package ar.connector.receipts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.activation.DataHandler;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.util.ByteArrayDataSource;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.attachment.AttachmentMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.stereotype.Component;

import ar.connector.config.BrokerConfig;
import ar.connector.config.Hops;
import ar.connector.config.ConnectorProperties;
import ar.connector.documents.InvoicePdfs;
import ar.connector.invoicing.OrderAttempt;
import ar.connector.invoicing.OrderAttemptRepository;
import ar.connector.invoicing.InvoicingOutcome;
import ar.connector.invoicing.OrderInvoicer;
import ar.connector.invoicing.OrderRecord;
import ar.connector.invoicing.OrderRecordRepository;
import ar.connector.invoicing.Tx;
import ar.connector.links.Link;
import ar.connector.links.LinkRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Receipts (SPEC §1.3): when the {@code order-invoicing} route finds a receipt owed, {@link #jobFor}
 * has the ledger take charge of it and the job goes on the durable queue {@code connector.receipts}
 * (route {@code receipt-enqueue}); the {@code receipt-mailing} route calls {@link #prepare}, sends the
 * message over SMTP (camel-mail) and calls {@link #sent}, or {@link #failed} on any error.
 *
 * <p>Retries are the broker's: the consumer is transacted, so a failed job is redelivered with a
 * growing delay (address settings in {@code BrokerConfig}), and an SMTP outage only delays
 * receipts; invoicing never waits for mail. On the last attempt the receipt is marked FAILED with
 * the reason, and the resend action queues it again. The job is queued inside the invoicing
 * consumer's transacted session, so it exists only if the order message's processing commits; a
 * receipt whose job was lost anyway (that session rolled back after the ledger took charge) is
 * still PENDING in the database, and {@link #sweep} queues it again.
 *
 * <p>Sending once: each message has a number (count + 1), claimed before the SMTP call (SENDING)
 * and recorded after it (SENT). A duplicate job for a number already sent does nothing. Only a
 * crash between the SMTP server accepting the message and the SENT record leaves doubt; the
 * retry then sends the same Message-ID, which mail clients show as one message.
 */
@Component("receiptMailing")
public class ReceiptMailing {

    public static final String QUEUE = BrokerConfig.RECEIPTS_QUEUE;
    /** The hop that queues a {@link ReceiptJob} (route {@code receipt-enqueue}). */
    public static final String ENQUEUE = "direct:receipt-enqueue";
    static final String RECORD = "connectorReceiptRecord";
    static final String NUMBER = "connectorReceiptNumber";
    static final String DELIVERY = "connectorReceiptDelivery";
    static final String CLAIM = "connectorReceiptClaim";
    static final String SEND = "connectorReceiptSend";

    private static final Logger log = LoggerFactory.getLogger(ReceiptMailing.class);

    private final LinkRepository links;
    private final OrderRecordRepository records;
    private final OrderAttemptRepository attempts;
    private final InvoicePdfs pdfs;
    private final StoreNames storeNames;
    private final ReceiptLedger ledger;
    private final Hops hops;
    private final Tx tx;
    private final MeterRegistry meters;
    private final ConnectorProperties.Receipts settings;
    private final ReceiptText text;
    private final ReceiptText creditNoteText;

    public ReceiptMailing(LinkRepository links, OrderRecordRepository records, OrderAttemptRepository attempts,
            InvoicePdfs pdfs, StoreNames storeNames, ReceiptLedger ledger,
            Hops hops, Tx tx, MeterRegistry meters, ConnectorProperties properties) {
        this.links = links;
        this.records = records;
        this.attempts = attempts;
        this.pdfs = pdfs;
        this.storeNames = storeNames;
        this.ledger = ledger;
        this.hops = hops;
        this.tx = tx;
        this.meters = meters;
        this.settings = properties.receipts();
        this.text = new ReceiptText(loadTemplate(settings.template()));
        this.creditNoteText = new ReceiptText(loadTemplate(settings.creditNoteTemplate()));
    }

    /**
     * The order-invoicing route found a receipt owed (an issued invoice or credit note the ledger has not
     * taken charge of): the ledger takes charge of it and answers the job to queue, or null when there is
     * nothing to mail (receipts off, another delivery took charge a moment ago).
     */
    public ReceiptJob jobFor(InvoicingOutcome outcome) {
        OrderRecord record = outcome.orderRecordId() == null ? null : records.findById(outcome.orderRecordId()).orElse(null);
        Link link = record == null ? null : links.findById(record.getLinkId()).orElse(null);
        if (link == null) {
            return null;
        }
        ReceiptJob job = null;
        if (record.getInvoiceCae() != null && record.getReceiptStatus() == null) {
            if (link.getSettings().isEmailReceipts()) {
                if (ledger.queueFirst(record.getId())) {
                    job = new ReceiptJob(record.getId(), 1, false);
                }
            } else if (ledger.skipFirst(record.getId(), "El envío de comprobantes por e-mail está desactivado en el vínculo")) {
                count(link, "skipped");
            }
        }
        if (record.getCreditCae() != null && record.isReceiptOwed()) {
            // Mail the credit note like an invoice: one more message of the order's receipt (from then
            // on a resend sends the credit note).
            if (!link.getSettings().isEmailReceipts()) {
                ledger.creditNoteDecided(record.getId());
                return job;
            }
            int number = ledger.queueCreditNote(record.getId());
            if (number < 0) {
                log.warn("Credit note of order {} not mailed: the invoice's receipt is being sent right now; "
                        + "use the resend action", record.getOrderId());
                return job;
            }
            job = new ReceiptJob(record.getId(), number, false);
        }
        return job;
    }

    /** The resend action: queues one more message; false while a send is under way. */
    public boolean resend(long recordId) {
        int number = ledger.queueNext(recordId);
        if (number < 0) {
            return false;
        }
        hops.send(ENQUEUE, new ReceiptJob(recordId, number, true));
        return true;
    }

    /** Decides whether the job sends, and if so builds the message on the exchange. */
    public void prepare(Exchange exchange) throws InvalidPayloadException {
        ReceiptJob job = exchange.getMessage().getMandatoryBody(ReceiptJob.class);
        Integer delivery = exchange.getMessage().getHeader("JMSXDeliveryCount", Integer.class);
        exchange.setProperty(RECORD, job.orderRecordId());
        exchange.setProperty(NUMBER, job.number());
        exchange.setProperty(DELIVERY, delivery == null ? 1 : delivery);
        exchange.setProperty(SEND, false);
        // Every header left here would become a mail header: start from none.
        exchange.getMessage().removeHeaders("*");

        OrderRecord record = records.findById(job.orderRecordId()).orElse(null);
        if (record == null || record.getReceiptCount() >= job.number()) {
            return; // sent already: a duplicate job
        }
        ReceiptStatus status = record.getReceiptStatus() == null ? null : ReceiptStatus.valueOf(record.getReceiptStatus());
        if (status != ReceiptStatus.PENDING && status != ReceiptStatus.SENDING) {
            return; // SKIPPED or FAILED: only the resend action sends again
        }
        Link link = links.findById(record.getLinkId()).orElse(null);
        if (link == null || !link.isActive()) {
            skip(record, link, "El vínculo fue dado de baja");
            return;
        }
        if (!job.manual() && !link.getSettings().isEmailReceipts()) {
            skip(record, link, "El envío de comprobantes por e-mail está desactivado en el vínculo");
            return;
        }
        InternetAddress to = address(record.getBuyerEmail());
        if (to == null) {
            skip(record, link, record.getBuyerEmail() == null || record.getBuyerEmail().isBlank()
                    ? "El comprador no tiene dirección de e-mail: no se envió el comprobante"
                    : "La dirección de e-mail del comprador no es válida (" + record.getBuyerEmail()
                            + "): no se envió el comprobante");
            return;
        }
        String store = storeNames.of(link);
        // Once the order is credited, its receipt is the credit note that cancels the invoice.
        boolean credit = record.getCreditCae() != null;
        long documentId = credit ? record.getCreditId() : record.getInvoiceId();
        String tipo = credit ? record.getCreditTipo() : record.getInvoiceTipo();
        String numero = credit ? record.getCreditNumero() : record.getInvoiceNumero();
        byte[] pdf = pdfs.pdf(link, documentId);
        LocalDate date = credit ? LocalDate.ofInstant(record.getCreditedAt(), OrderInvoicer.BUENOS_AIRES)
                : record.getFechaEmision() != null ? record.getFechaEmision()
                : LocalDate.ofInstant(record.getInvoicedAt(), OrderInvoicer.BUENOS_AIRES);
        ReceiptText.Rendered rendered = (credit ? creditNoteText : text).render(new ReceiptText.Invoice(store,
                record.getBuyerName(), tipo, numero, date, credit ? record.getCreditTotal() : record.getInvoiceTotal(),
                record.getOrderId(), blankToNull(credit ? record.getCreditPdfUrl() : record.getInvoicePdfUrl()),
                credit ? record.getCreditCae() : record.getInvoiceCae()));

        String messageId = "<receipt-" + record.getId() + "-" + job.number() + "@" + domain(settings.from()) + ">";
        Timestamp claim = ledger.claim(record.getId(), job.number(), to.getAddress(), messageId,
                Instant.now().minus(settings.sendTimeout()));
        if (claim == null) {
            if (ReceiptStatus.SENDING.name().equals(records.findById(record.getId()).map(OrderRecord::getReceiptStatus)
                    .orElse(null))) {
                // Another consumer is sending this very message: try again once it has finished.
                throw new IllegalStateException("Receipt " + messageId + " is being sent by another consumer");
            }
            return;
        }
        exchange.setProperty(CLAIM, claim);
        exchange.setProperty(SEND, true);
        var message = exchange.getMessage();
        message.setHeader("To", to.toString());
        message.setHeader("From", sender(store));
        if (settings.replyTo() != null && !settings.replyTo().isBlank()) {
            message.setHeader("Reply-To", settings.replyTo());
        }
        message.setHeader("Subject", rendered.subject());
        message.setHeader("Message-ID", messageId);
        message.setBody(rendered.body());
        exchange.getMessage(AttachmentMessage.class).addAttachment(
                ReceiptText.fileName(tipo, numero),
                new DataHandler(new ByteArrayDataSource(pdf, "application/pdf")));
    }

    /** The SMTP server accepted the message. */
    public void sent(Exchange exchange) {
        long recordId = exchange.getProperty(RECORD, Long.class);
        int number = exchange.getProperty(NUMBER, Integer.class);
        if (ledger.sent(recordId, number)) {
            OrderRecord record = records.findById(recordId).orElseThrow();
            note(recordId, "RECEIPT_SENT", "Comprobante " + number + " enviado a " + record.getReceiptTo());
            links.findById(record.getLinkId()).ifPresent(link -> count(link, "sent"));
        }
    }

    /**
     * A step failed: give the claim back and let the broker redeliver, or, on the last attempt,
     * mark the receipt FAILED and end the job.
     */
    public void failed(Exchange exchange) {
        Exception error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Long recordId = exchange.getProperty(RECORD, Long.class);
        if (recordId == null) {
            log.warn("Unreadable receipt job dropped: {}", error == null ? "?" : error.getMessage());
            return; // a body that is not a job will never become one
        }
        int number = exchange.getProperty(NUMBER, Integer.class);
        int delivery = exchange.getProperty(DELIVERY, Integer.class);
        String detail = describe(error);
        Timestamp claim = exchange.getProperty(CLAIM, Timestamp.class);
        if (claim != null) {
            ledger.release(recordId, claim, "Reintentando el envío (intento " + delivery + "): " + detail);
        } else {
            ledger.retrying(recordId, number, "Reintentando el envío (intento " + delivery + "): " + detail);
        }
        String store = records.findById(recordId).flatMap(r -> links.findById(r.getLinkId()))
                .map(Link::getJumpsellerStoreCode).orElse("?");
        if (delivery >= settings.maxAttempts()) {
            ledger.fail(recordId, number, "No se pudo enviar el comprobante tras " + delivery + " intentos: " + detail
                    + ". Use la acción de reenvío cuando el servidor de correo funcione.");
            note(recordId, "RECEIPT_FAILED", detail);
            countStore(store, "failed");
            return;
        }
        countStore(store, "retried");
        // One line per failed attempt (an SMTP outage fails every one for hours); the broker redelivers.
        log.warn("Receipt {} of order record {} (store {}) not sent, attempt {} of {}; retrying: {}", number, recordId,
                store, delivery, settings.maxAttempts(), detail);
        if (error instanceof RuntimeException runtime) {
            throw runtime;
        }
        throw new IllegalStateException(detail, error);
    }

    /** The jobs of receipts that stayed PENDING long after they were queued (their job was lost), to queue again. */
    public List<ReceiptJob> sweep() {
        List<long[]> stale = ledger.pendingSince(Instant.now().minus(settings.sweepAfter()), 500);
        List<ReceiptJob> jobs = new ArrayList<>();
        for (long[] row : stale) {
            ledger.requeued(row[0]);
            jobs.add(new ReceiptJob(row[0], (int) row[1] + 1, false));
        }
        if (!stale.isEmpty()) {
            log.info("Queuing {} receipts again that waited longer than {}", stale.size(), settings.sweepAfter());
        }
        return jobs;
    }

    private void skip(OrderRecord record, Link link, String reason) {
        ledger.skip(record.getId(), reason);
        note(record.getId(), "RECEIPT_SKIPPED", reason);
        if (link != null) {
            count(link, "skipped");
        }
    }

    private void note(long recordId, String outcome, String detail) {
        tx.run(() -> attempts.save(new OrderAttempt(recordId, "receipt", outcome, detail)));
    }

    private void count(Link link, String outcome) {
        countStore(link.getJumpsellerStoreCode(), outcome);
    }

    private void countStore(String store, String outcome) {
        Counter.builder("connector.receipts").description("Receipts e-mailed to buyers, by outcome")
                .tag("store", store).tag("outcome", outcome).register(meters).increment();
    }

    private String sender(String store) {
        try {
            return new InternetAddress(settings.from(), store, StandardCharsets.UTF_8.name()).toString();
        } catch (IOException e) {
            return settings.from();
        }
    }

    /** A deliverable buyer address (one mailbox with a domain that has a dot), or null. */
    static InternetAddress address(String email) {
        if (email == null || email.isBlank()) {
            return null;
        }
        try {
            InternetAddress address = new InternetAddress(email.trim(), true);
            address.validate();
            String value = address.getAddress();
            int at = value.lastIndexOf('@');
            if (at <= 0 || !value.substring(at + 1).contains(".") || value.endsWith(".")) {
                return null;
            }
            return address;
        } catch (AddressException e) {
            return null;
        }
    }

    private static String domain(String from) {
        int at = from == null ? -1 : from.lastIndexOf('@');
        return at < 0 ? "connector.local" : from.substring(at + 1).replaceAll("[^A-Za-z0-9.-]", "").toLowerCase(Locale.ROOT);
    }

    private static String describe(Exception error) {
        if (error == null) {
            return "error desconocido";
        }
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = error.getMessage();
        return root == error ? String.valueOf(message)
                : message + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String loadTemplate(String location) {
        String where = location.contains(":") && !location.matches("^[A-Za-z]:\\\\.*") ? location : "file:" + location;
        Resource resource = new DefaultResourceLoader().getResource(where);
        try (InputStream in = resource.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Receipt template not readable at " + location, e);
        }
    }
}
