package ar.connector.documents;

import java.time.Duration;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import ar.connector.api.ApiCallException;
import ar.connector.config.ConnectorProperties;
import ar.connector.invoicing.DocumentSlot;
import ar.connector.invoicing.OrderRecord;
import ar.connector.invoicing.OrderRecordRepository;
import ar.connector.links.Link;
import ar.connector.links.LinkRepository;
import ar.connector.web.KeyedBudgets;
import ar.connector.web.ProblemWriter;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Serves an order's invoice or credit note PDF behind a signed link (see {@link DocumentLinks}).
 * Anyone can call it, so it is budgeted: requests per client address and per token
 * ({@code connector.documents.*}, 429 beyond them), and a bounded wait for Contabilium (503 with
 * Retry-After rather than a web thread held for as long as the account's budget is spent).
 */
@RestController
@Hidden
public class DocumentController {

    private final DocumentLinks documentLinks;
    private final LinkRepository links;
    private final OrderRecordRepository records;
    private final InvoicePdfs pdfs;
    private final KeyedBudgets perAddress;
    private final KeyedBudgets perToken;
    private final Duration maxWait;

    public DocumentController(DocumentLinks documentLinks, LinkRepository links, OrderRecordRepository records,
            InvoicePdfs pdfs, ConnectorProperties properties) {
        this.documentLinks = documentLinks;
        this.links = links;
        this.records = records;
        this.pdfs = pdfs;
        ConnectorProperties.Documents limits = properties.documents();
        this.perAddress = new KeyedBudgets(limits.requestsPerAddress(), limits.requestWindow());
        this.perToken = new KeyedBudgets(limits.requestsPerToken(), limits.requestWindow());
        this.maxWait = limits.maxWait();
    }

    @GetMapping("/documents/{token}.pdf")
    public ResponseEntity<?> pdf(@PathVariable String token, HttpServletRequest request) {
        Duration wait = perAddress.take(request.getRemoteAddr());
        if (wait.isZero()) {
            wait = perToken.take(token);
        }
        if (!wait.isZero()) {
            return retryLater(HttpStatus.TOO_MANY_REQUESTS, "Too many requests for invoice PDFs; try again later",
                    wait);
        }
        DocumentLinks.Target target = documentLinks.verify(token).orElse(null);
        if (target == null) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).build();
        }
        Link link = links.findById(target.linkId()).orElse(null);
        OrderRecord record = records.findByLinkIdAndOrderId(target.linkId(), target.orderId()).orElse(null);
        boolean invoice = target.slot() == DocumentSlot.INVOICE;
        Long documentId = record == null ? null : invoice ? record.getInvoiceId() : record.getCreditId();
        String cae = record == null ? null : invoice ? record.getInvoiceCae() : record.getCreditCae();
        if (link == null || documentId == null || cae == null) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).build();
        }
        byte[] pdf;
        try {
            pdf = pdfs.pdf(link, documentId, maxWait);
        } catch (InvoicePdfs.Busy e) {
            return retryLater(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage(), e.retryAfter());
        } catch (ApiCallException e) {
            return retryLater(HttpStatus.SERVICE_UNAVAILABLE, "Contabilium could not give the PDF right now",
                    maxWait);
        }
        String tipo = invoice ? record.getInvoiceTipo() : record.getCreditTipo();
        String numero = invoice ? record.getInvoiceNumero() : record.getCreditNumero();
        String name = (invoice ? "Factura-" : "NotaDeCredito-")
                + (tipo == null ? "" : tipo.substring(tipo.length() - 1) + "-") + (numero == null ? documentId : numero)
                + ".pdf";
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_PDF)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.inline().filename(name).build().toString())
                .body(pdf);
    }

    private static ResponseEntity<ProblemDetail> retryLater(HttpStatus status, String detail, Duration after) {
        return ResponseEntity.status(status)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(ProblemWriter.retryAfterSeconds(after)))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemDetail.forStatusAndDetail(status, detail));
    }
}
